// EngineClient: runs the daemon's real remote-source logic (Engine SourceManager: associations,
// clock filter, selection, clustering, combining and the clock discipline) as a simulated node.
// It turns SimContext time into LoopTime, forwards datagrams and timers, and carries out the
// EngineActions on the node's SimulatedClockDriver, exactly as DaemonHost does on a real machine.
using System.Net;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.Associations;
using Stratum.Engine.Discipline;
using Stratum.Engine.Selection;
using Stratum.Engine.SystemState;
using Stratum.Platform.Clock;
using Stratum.Simulation.Randomness;

namespace Stratum.Simulation.Nodes;

/// <summary>A simulated ntpd client of one or more servers or peers.</summary>
public sealed class EngineClient : ISimulatedClient
{
    private readonly IReadOnlyList<RemoteAssociationSettings> _associations;
    private readonly DisciplineParameters _discipline;
    private readonly SelectionParameters _selection;
    private readonly EngineActions _actions = new();
    private readonly List<EngineNotice> _notices = [];
    private SourceManager? _manager;
    private ClockActionApplier? _applier;

    public EngineClient(IReadOnlyList<RemoteAssociationSettings> associations, DisciplineParameters? discipline = null, SelectionParameters? selection = null)
    {
        _associations = associations;
        _discipline = discipline ?? DisciplineParameters.Default;
        _selection = selection ?? SelectionParameters.Default;
    }

    /// <summary>A `leapfile` table for the client (set before the run starts).</summary>
    public Stratum.Core.Leap.LeapSecondTable? LeapTable { get; set; }

    /// <summary>`enable kernel` (true, ntpd's default): phase corrections go to the kernel PLL; false: adjtime.</summary>
    public bool UseKernel { get; init; } = true;

    /// <summary>`server ADDRESS iburst minpoll N maxpoll N` for each endpoint; <paramref name="useKernel"/>
    /// false is `disable kernel` (user-space discipline: phase corrections by adjtime).</summary>
    public static EngineClient ForServers(IReadOnlyList<IPEndPoint> servers, sbyte minPoll = 6, sbyte maxPoll = 6, DisciplineParameters? discipline = null, bool useKernel = true)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var settings = new List<RemoteAssociationSettings>();
        foreach (IPEndPoint server in servers)
        {
            settings.Add(new RemoteAssociationSettings(server, AssociationMode.Client, true, false, false, false, false, minPoll, maxPoll, 4, server.Address.ToString()));
        }

        return new EngineClient(settings, discipline ?? DisciplineParameters.Default with { MinPoll = minPoll, MaxPoll = maxPoll }) { UseKernel = useKernel };
    }

    public SourceManager Manager => _manager ?? throw new InvalidOperationException("not started");

    public SystemVariables? System { get; private set; }

    public IReadOnlyList<EngineNotice> Notices => _notices;

    /// <summary>Every clock action carried out, with the node's monotonic seconds, for tests and traces.</summary>
    public List<(double MonoSeconds, ClockAction Action)> ClockActionLog { get; } = [];

    public long NextDeadline => _manager?.NextDeadline() ?? long.MaxValue;

    public void Start(SimContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        System = new SystemVariables(-20);
        var ids = new List<(int, RemoteAssociationSettings)>();
        for (int i = 0; i < _associations.Count; i++)
        {
            ids.Add((i + 1, _associations[i]));
        }

        _manager = new SourceManager(ids, System, new RandomAdapter(context.Random), -20, _selection, _discipline, null, disciplineClock: true)
        {
            LeapTable = LeapTable,
            LocalReferenceIds = new HashSet<ReferenceId> { ReferenceId.FromAddress(context.LocalAddress) },
        };
        _manager.Start(context.Now);
        _actions.Clear();
        _manager.OnTimer(context.Now, _actions);
        CarryOut(context);
    }

    public void OnTimer(SimContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _actions.Clear();
        Manager.OnTimer(context.Now, _actions);
        CarryOut(context);
    }

    public void OnDatagram(SimContext context, ReadOnlySpan<byte> datagram, IPEndPoint source, long receiveRealtimeNanoseconds)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(source);
        for (int i = 0; i < _associations.Count; i++)
        {
            if (_associations[i].Address.Address.Equals(source.Address))
            {
                _actions.Clear();
                Manager.OnReply(i + 1, datagram, NtpTimestamp.FromUnixNanoseconds(receiveRealtimeNanoseconds), context.Now, _actions, context.Clock.PendingSlewSeconds);
                CarryOut(context);
                return;
            }
        }
    }

    private void CarryOut(SimContext context)
    {
        _notices.AddRange(_actions.Notices);
        _applier ??= new ClockActionApplier(context.Clock, UseKernel);
        foreach (ClockAction action in _actions.ClockActions)
        {
            ClockActionLog.Add((context.Now.MonoSeconds, action));
            if (_applier.Apply(action) is { } report)
            {
                _notices.Add(new EngineNotice(report.Failed ? NoticeKind.Fatal : NoticeKind.Info, report.Text));
            }
        }

        foreach (OutgoingPacket packet in _actions.Packets)
        {
            Manager.MarkSent(packet.AssociationId, context.Now.Real);
            context.Send(_associations[packet.AssociationId - 1].Address, _actions.PacketBytes(packet), sourcePort: 40000 + packet.AssociationId);
        }
    }

    private sealed class RandomAdapter(SimulationRandom random) : IRandomSource
    {
        public ulong NextUInt64() => random.NextUInt64();
    }
}
