// EngineClient: runs the daemon's Engine (NtpEngine: associations, clock filter, selection,
// clustering, combining, the clock discipline, and the time server) as a simulated node, through the
// same entry points and the same action executor (EngineActionExecutor) as ntpd's DaemonHost. It is
// the node's I/O shell: the port a datagram was sent to tells its sockets apart (123: the listening
// socket; 40000 + id: association id's own socket), SimContext time becomes LoopTime, the executor
// sends through the simulated network (this class's IDatagramSender) and adjusts the node's
// SimulatedClockDriver, and notices are kept for the tests (ILogSink). A time reply is stamped and
// sent here, as the daemon's server path does it. Broadcast and multicast: a datagram sent to a
// multicast group arrives on the group socket (DatagramContext.ForGroup), one sent to the subnet's
// broadcast address on the listening socket; a broadcast server's association sends from port 123.
// Keys, casting options and local clocks (`server 127.127.1.0`, a stratum-1 server with `fudge
// stratum 0`) are set before the run starts.
using System.Net;
using Stratum.Core.Auth;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.Access;
using Stratum.Engine.Associations;
using Stratum.Engine.Discipline;
using Stratum.Engine.Selection;
using Stratum.Engine.SystemState;
using Stratum.Platform.Clock;
using Stratum.Platform.Hosting;
using Stratum.Simulation.Network;
using Stratum.Simulation.Randomness;

namespace Stratum.Simulation.Nodes;

/// <summary>A simulated ntpd with one or more servers or peers.</summary>
public sealed class EngineClient : ISimulatedClient, IDatagramSender, ILogSink
{
    /// <summary>Association id's socket has this port plus the id.</summary>
    public const int AssociationPortBase = 40000;

    private const int Precision = -20;

    private readonly IReadOnlyList<RemoteAssociationSettings> _associations;
    private readonly DisciplineParameters _discipline;
    private readonly SelectionParameters _selection;
    private readonly EngineActions _actions = new();
    private readonly List<EngineNotice> _notices = [];
    private readonly Dictionary<int, (IPEndPoint Remote, AssociationSocketOptions Options)> _remotes = [];
    private readonly byte[] _reply = new byte[NtpHeader.Size + NtpPacket.MaxMacLength];
    private NtpEngine? _engine;
    private EngineActionExecutor? _executor;
    private SimContext? _context;
    private IPEndPoint? _answerTo;
    private int _answerFromPort;

    public EngineClient(IReadOnlyList<RemoteAssociationSettings> associations, DisciplineParameters? discipline = null, SelectionParameters? selection = null)
    {
        _associations = associations;
        _discipline = discipline ?? DisciplineParameters.Default;
        _selection = selection ?? SelectionParameters.Default;
    }

    /// <summary>A `leapfile` table for the client (set before the run starts).</summary>
    public Stratum.Core.Leap.LeapSecondTable? LeapTable { get; set; }

    /// <summary>`tos orphan S orphanwait W`, or null (set before the run starts; the selection parameters'
    /// orphan stratum follows it).</summary>
    public OrphanSettings? Orphan { get; init; }

    /// <summary>`enable kernel` (true, ntpd's default): phase corrections go to the kernel PLL; false: adjtime.</summary>
    public bool UseKernel { get; init; } = true;

    /// <summary>`keys` and `trustedkey`, or null for none.</summary>
    public KeyRing? Keys { get; init; }

    /// <summary>`broadcastclient`, `manycastserver`, `enable auth`, `broadcastdelay` and the casting `tos` words.</summary>
    public CastSettings Casting { get; init; } = CastSettings.Default;

    /// <summary>Local clock drivers (`server 127.127.1.u` with its `fudge`).</summary>
    public IReadOnlyList<LocalClockSettings> LocalClocks { get; init; } = [];

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

    /// <summary>The node's Engine (after Start).</summary>
    public NtpEngine Engine => _engine ?? throw new InvalidOperationException("not started");

    /// <summary>The Engine's remote sources.</summary>
    public SourceManager Manager => Engine.Sources;

    public SystemVariables? System => _engine?.System;

    public IReadOnlyList<EngineNotice> Notices => _notices;

    /// <summary>Every clock action carried out, with the node's monotonic seconds, for tests and traces.</summary>
    public List<(double MonoSeconds, ClockAction Action)> ClockActionLog { get; } = [];

    public long NextDeadline { get; private set; } = long.MaxValue;

    public void Start(SimContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        var configuration = new EngineConfiguration(LocalClocks, [], DisciplineEnabled: true, RemoteAssociations: _associations,
            Discipline: _discipline, Selection: Orphan is { } orphan ? _selection with { OrphanStratum = orphan.Stratum } : _selection, Orphan: Orphan,
            Keys: Keys)
        {
            Casting = Casting,
        };
        _engine = new NtpEngine(configuration, Precision, new RandomAdapter(context.Random));
        _engine.Sources.LeapTable = LeapTable;
        _executor = new EngineActionExecutor(_engine, context.Clock, this, this, UseKernel);
        _engine.OnListening([new IPEndPoint(context.LocalAddress, SimContext.NtpPort)], [context.LocalAddress], _actions);
        CarryOut(context);
        _engine.Start(context.Now, _actions);
        NextDeadline = CarryOut(context);
    }

    public void OnTimer(SimContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        NextDeadline = Engine.OnTimer(context.Now, _actions);
        CarryOut(context);
    }

    public void OnDatagram(SimContext context, ReadOnlySpan<byte> datagram, IPEndPoint source, IPEndPoint destination, long receiveRealtimeNanoseconds)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ClientAddress from = ClientAddress.From(source.Address, source.Port);
        NtpTimestamp receiveTime = NtpTimestamp.FromUnixNanoseconds(receiveRealtimeNanoseconds);
        DatagramContext received = destination.Port != SimContext.NtpPort
            ? DatagramContext.ForAssociation(destination.Port - AssociationPortBase, from, receiveTime, context.Now, datagram, _executor)
            : SimulatedNetwork.IsMulticast(destination.Address)
                ? DatagramContext.ForGroup(from, receiveTime, context.Now, datagram, _executor)
                : DatagramContext.ForServer(from, receiveTime, context.Clock.ReadMonotonicNanoseconds(), datagram, _executor);
        _answerTo = source;
        _answerFromPort = destination.Port;
        DatagramResult result = Engine.OnDatagram(received, _reply, _actions);
        if (result.Disposition is DatagramDisposition.Reply or DatagramDisposition.Kod)
        {
            SendReply(context, source, result);
        }

        long deadline = CarryOut(context);
        if (deadline != long.MaxValue)
        {
            NextDeadline = deadline;
        }
    }

    // Zero processing time: the transmit stamp is this instant's clock reading, then the MAC over it.
    private void SendReply(SimContext context, IPEndPoint client, DatagramResult result)
    {
        int length = result.ReplyLength;
        if (result.StampTransmit)
        {
            NtpTimestamp.FromUnixNanoseconds(context.Clock.ReadRealtimeNanoseconds() + result.TransmitOffsetNanoseconds).Write(_reply.AsSpan(NtpHeader.TransmitTimeOffset));
        }

        if (result.MacKey is SymmetricKey key)
        {
            length = PacketMac.Append(key, _reply, length);
        }

        context.Send(client, _reply.AsSpan(0, length));
    }

    private long CarryOut(SimContext context)
    {
        foreach (ClockAction action in _actions.ClockActions)
        {
            ClockActionLog.Add((context.Now.MonoSeconds, action));
        }

        long deadline = _actions.NextDeadline;
        _executor!.CarryOut(_actions);
        _actions.Clear();
        return deadline;
    }

    SendResult IDatagramSender.SendToAssociation(int associationId, ReadOnlySpan<byte> packet)
    {
        if (!_remotes.TryGetValue(associationId, out (IPEndPoint Remote, AssociationSocketOptions Options) socket))
        {
            return SendResult.NoSocket;
        }

        // A datagram the network loses was still sent, as far as the node can tell. A broadcast server sends
        // from port 123 (DaemonHost: the server socket); a symmetric peer still sends from its own socket here.
        int sourcePort = socket.Options is { FromNtpPort: true, ToGroup: true } ? SimContext.NtpPort : AssociationPortBase + associationId;
        _context!.Send(socket.Remote, packet, sourcePort);
        return SendResult.Sent;
    }

    void IDatagramSender.SendAnswer(ReadOnlySpan<byte> datagram)
    {
        if (_answerTo is not null)
        {
            _context!.Send(_answerTo, datagram, sourcePort: _answerFromPort);
        }
    }

    void IDatagramSender.OpenAssociationSocket(int associationId, IPEndPoint remote, string name, AssociationSocketOptions options)
    {
        _remotes[associationId] = (remote, options);
        Engine.Control.Host.AssociationSockets[associationId] = new IPEndPoint(_context!.LocalAddress, AssociationPortBase + associationId);
    }

    void IDatagramSender.CloseAssociationSocket(int associationId)
    {
        _remotes.Remove(associationId);
        Engine.Control.Host.AssociationSockets.Remove(associationId);
    }

    void ILogSink.Notice(in EngineNotice notice) => _notices.Add(notice);

    void ILogSink.ClockReport(in ClockActionReport report) =>
        _notices.Add(new EngineNotice(report.Failed ? NoticeKind.Fatal : NoticeKind.Info, report.Text));

    void ILogSink.Error(string text) => _notices.Add(new EngineNotice(NoticeKind.Info, text));

    private sealed class RandomAdapter(SimulationRandom random) : IRandomSource
    {
        public ulong NextUInt64() => random.NextUInt64();
    }
}
