// EngineActionExecutor: carries out the actions of one Engine call, in one place for the daemon
// (DaemonHost over UDP sockets and the real or virtual clock) and the in-process simulator (its
// simulated network and clock), so both run the same path. In order: notices to the log; association
// sockets opened and closed; answers to the sender of the datagram being handled; association
// requests (each one's transmit time T1 read from the clock just before it is sent, then recorded
// with NtpEngine.MarkSent); statistics records stamped with the clock; clock actions through
// ClockActionApplier (step, kernel PLL or adjtime, frequency slews, frequency, leap status); the drift
// file; name lookups. It decides nothing: what to do and when is the Engine's. It reads the clock only
// to stamp what it sends and records; it allocates only for what is rare (statistics, lookups). It is
// also where the Engine reads the pending slew (IPendingSlewSource): the applier knows the slews it
// runs itself besides the driver's.
using Stratum.Core.Time;
using Stratum.Engine;
using Stratum.Platform.Clock;

namespace Stratum.Platform.Hosting;

/// <summary>Applies <see cref="EngineActions"/> through small ports.</summary>
public sealed class EngineActionExecutor : IPendingSlewSource
{
    private readonly NtpEngine _engine;
    private readonly IClockDriver _clock;
    private readonly IDatagramSender _sender;
    private readonly ILogSink _log;
    private readonly Func<int, string?> _localAddressOf;

    /// <param name="engine">The engine whose actions these are (T1 of each request goes back to it).</param>
    /// <param name="clock">The clock driver: stamps, and the clock actions.</param>
    /// <param name="sender">Sockets, real or simulated.</param>
    /// <param name="log">Notices and reports.</param>
    /// <param name="useKernel">`enable kernel` (true, ntpd's default): phase corrections go to the kernel
    /// PLL; false: adjtime.</param>
    /// <param name="slewByFrequency">Slew through the frequency where the driver can (ClockActionApplier);
    /// the host then calls its OnDeadline at its Deadline.</param>
    public EngineActionExecutor(NtpEngine engine, IClockDriver clock, IDatagramSender sender, ILogSink log, bool useKernel, bool slewByFrequency = false)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(log);
        _engine = engine;
        _clock = clock;
        _sender = sender;
        _log = log;
        ClockActions = new ClockActionApplier(clock, useKernel, slewByFrequency);
        _localAddressOf = LocalAddressOf;
    }

    /// <summary>The applier of clock actions (kernel or adjtime discipline).</summary>
    public ClockActionApplier ClockActions { get; }

    /// <summary>loopstats, peerstats, rawstats and sysstats, or null when none are written.</summary>
    public IStatisticsSink? Statistics { get; init; }

    /// <summary>The drift file, or null without `driftfile`.</summary>
    public IDriftFileSink? DriftFile { get; init; }

    /// <summary>Host name lookups, or null when there is no resolver (every lookup is then refused).</summary>
    public INameResolver? Resolver { get; init; }

    /// <summary>Carries out <paramref name="actions"/> (see the file header for the order).</summary>
    public void CarryOut(EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        foreach (EngineNotice notice in actions.Notices)
        {
            _log.Notice(notice);
        }

        foreach (SocketAction socket in actions.Sockets)
        {
            if (socket.Kind == SocketActionKind.Open && socket.Remote is not null)
            {
                _sender.OpenAssociationSocket(socket.AssociationId, socket.Remote, socket.Name ?? socket.Remote.ToString(), socket.Options);
            }
            else if (socket.Kind == SocketActionKind.Close)
            {
                _sender.CloseAssociationSocket(socket.AssociationId);
            }
        }

        foreach (OutgoingPacket answer in actions.Answers)
        {
            _sender.SendAnswer(actions.PacketBytes(answer));
        }

        foreach (OutgoingPacket packet in actions.Packets)
        {
            // T1 read just before the send and marked first: a sender that gets the kernel's transmit stamp
            // of the datagram marks that instead (DaemonHost).
            _engine.MarkSent(packet.AssociationId, NtpTimestamp.FromUnixNanoseconds(_clock.ReadRealtimeNanoseconds()));
            _sender.SendToAssociation(packet.AssociationId, actions.PacketBytes(packet));
        }

        if (Statistics is { } statistics
            && (actions.LoopStats.Count > 0 || actions.PeerStats.Count > 0 || actions.RawStats.Count > 0 || actions.ProtoStats.Count > 0
                || actions.SysStats is not null))
        {
            statistics.Record(actions, _clock.ReadRealtimeNanoseconds(), _localAddressOf);
        }

        foreach (ClockAction action in actions.ClockActions)
        {
            if (ClockActions.Apply(action) is { } report)
            {
                _log.ClockReport(report);
                if (report.KernelEnabled)
                {
                    RecordKernelEvent();
                }
            }
        }

        if (actions.DriftFrequency is double frequency && DriftFile?.Save(frequency) is string error)
        {
            _log.Error(error);
        }

        foreach (ResolveRequest lookup in actions.Resolves)
        {
            if (Resolver?.Request(lookup.Token, lookup.Name, lookup.Family) != true)
            {
                _engine.OnResolveRefused(lookup.Token);
            }
        }
    }

    // ntpd's `kern` system event when the kernel discipline comes on, in protostats like the Engine's own events.
    private void RecordKernelEvent()
    {
        var kernel = new EngineActions();
        _engine.Sources.ReportSystemEvent(Stratum.Engine.Control.ProtocolEvents.Kernel, "kernel time sync enabled", kernel, withSystemPeer: true);
        Statistics?.Record(kernel, _clock.ReadRealtimeNanoseconds(), _localAddressOf);
    }

    /// <summary>The phase the clock will still move by, with its uncertainty: the driver's slews and the applier's.</summary>
    public void ReadPendingSlew(out double seconds, out double uncertainty)
    {
        PendingSlew pending = ClockActions.ReadPendingSlew();
        seconds = pending.Seconds;
        uncertainty = pending.Uncertainty;
    }

    /// <summary>"addr" of the local end of an association's socket (rawstats' second address).</summary>
    private string? LocalAddressOf(int associationId) =>
        _engine.Control.Host.AssociationSockets.TryGetValue(associationId, out System.Net.IPEndPoint? local) ? local.Address.ToString() : null;
}
