// SourceManager: the remote half of ntpd's engine (RFC 5905 §9–11): it polls every remote
// association, passes valid samples through each association's clock filter (§10), runs selection,
// clustering and combining over all sources (§11.2), feeds the combined offset to the clock
// discipline (§11.3) and updates the system variables (§11.2.2 clock_update). Its decisions leave
// as EngineActions: packets to send, clock actions, and notices in ntpd's wording ("synchronized to
// 10.0.0.1, stratum 2", "time reset +0.315 s", "no servers reachable"), and protocol events as ntpd
// reports them (protostats records: mobilize, reachable, unreachable, sys_peer, rate_exceeded,
// clock_step, spike_detect, freq_mode, clock_sync, no_sys_peer, restart).
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Discipline;
using Stratum.Engine.Filter;
using Stratum.Engine.Selection;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Associations;

/// <summary>One remote source: its association and its clock filter.</summary>
public sealed class RemoteSource
{
    internal RemoteSource(RemoteAssociation association, ClockFilter filter)
    {
        Association = association;
        Filter = filter;
    }

    public RemoteAssociation Association { get; }

    public ClockFilter Filter { get; }

    /// <summary>Why selection rejected this source last time, or null when it survived.</summary>
    public RejectionReason? Rejection { get; internal set; }

    /// <summary>True when this source survived the last selection (ntpq '+').</summary>
    public bool IsSurvivor { get; internal set; }

    public int Id => Association.Id;

    /// <summary>The association's protocol event counter and last event (its status word's low byte).</summary>
    public Control.EventTally Events { get; } = new();
}

/// <summary>Polls remote sources and disciplines the clock from them.</summary>
public sealed class SourceManager
{
    private readonly List<RemoteSource> _sources = [];
    private readonly SystemVariables _system;
    private readonly ClockSelector _selector;
    private readonly ClockDiscipline _discipline;
    private readonly sbyte _precision;
    private readonly bool _disciplineClock;
    private readonly double? _driftFrequency;
    private readonly byte[] _requestBuffer = new byte[NtpHeader.Size + NtpPacket.MaxMacLength];
    private readonly List<SelectionCandidate> _candidates = [];
    private int? _systemPeerId;
    private double _holdSelectionUntil;
    private double _lastDisciplinedSampleTime = double.NegativeInfinity;
    private bool _disciplineStarted;
    private LeapIndicator _armedLeap = LeapIndicator.NoWarning;
    private NtpTimestamp _armedUntil;
    private bool _frequencyErrorReported;
    private readonly IRandomSource _random;
    private int _nextId = 1;
    private bool _started;

    /// <summary>At start, selection waits up to this long (iburst's eight exchanges) until every source is
    /// fit to be selected, so the first server whose filter fills (perhaps a falseticker) is not chosen alone
    /// before the others can outvote it.</summary>
    private const double StartupHoldSeconds = 16;

    /// <param name="associations">Remote sources with their ids.</param>
    /// <param name="system">The system variables to update.</param>
    /// <param name="random">Cookies and poll jitter.</param>
    /// <param name="precision">Our clock's precision exponent.</param>
    /// <param name="selection">tos parameters.</param>
    /// <param name="discipline">tinker parameters and -g/-x.</param>
    /// <param name="driftFrequency">Frequency from the drift file (s/s), if any.</param>
    /// <param name="disciplineClock">False with `disable ntp`: select and serve, but never adjust.</param>
    /// <param name="keys">Trusted keys for associations configured with `key N`.</param>
    public SourceManager(
        IReadOnlyList<(int Id, RemoteAssociationSettings Settings)> associations,
        SystemVariables system,
        IRandomSource random,
        sbyte precision,
        SelectionParameters selection,
        DisciplineParameters discipline,
        double? driftFrequency,
        bool disciplineClock,
        Access.KeyRing? keys = null)
    {
        ArgumentNullException.ThrowIfNull(associations);
        _keys = keys ?? Access.KeyRing.Empty;
        _system = system;
        _precision = precision;
        _disciplineClock = disciplineClock;
        _driftFrequency = driftFrequency;
        _selector = new ClockSelector(selection);
        _discipline = new ClockDiscipline(discipline, driftFrequency);
        _random = random;
        foreach ((int id, RemoteAssociationSettings settings) in associations)
        {
            _sources.Add(NewSource(id, settings));
            _nextId = Math.Max(_nextId, id + 1);
        }
    }

    private RemoteSource NewSource(int id, RemoteAssociationSettings settings)
    {
        var association = new RemoteAssociation(id, settings, _random, _system)
        {
            Key = settings.KeyId is uint keyId && _keys.TryGetTrusted(keyId, out Stratum.Core.Auth.SymmetricKey? key) ? key : null,
        };
        return new(association, new ClockFilter(Math.ScaleB(1.0, _precision)) { AgingRate = FrequencyTolerance });
    }

    private readonly Access.KeyRing _keys;

    /// <summary>Mobilizes an association at run time (a host name or pool member resolved); returns its id.
    /// It starts polling at once (iburst as configured).</summary>
    /// <param name="settings">The association, with its resolved address.</param>
    /// <param name="now">Loop time.</param>
    /// <param name="firstId">Lowest id to use (ids of local clocks come first).</param>
    /// <param name="actions">Where the mobilize event is reported, when given.</param>
    public int Mobilize(RemoteAssociationSettings settings, LoopTime now, int firstId = 1, EngineActions? actions = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        int id = Math.Max(_nextId, firstId);
        _nextId = id + 1;
        RemoteSource source = NewSource(id, settings);
        _sources.Add(source);
        if (_started)
        {
            source.Association.Start(now);
        }

        if (actions is not null)
        {
            ReportPeerEvent(source, Control.ProtocolEvents.Mobilize, $"assoc {id}", actions);
        }

        return id;
    }

    /// <summary>Demobilizes association <paramref name="id"/> (a pool member replaced); false if unknown.</summary>
    public bool Demobilize(int id, EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        RemoteSource? source = Find(id);
        if (source is null)
        {
            return false;
        }

        ReportPeerEvent(source, Control.ProtocolEvents.Demobilize, $"assoc {id}", actions);
        _sources.Remove(source);
        if (_systemPeerId == id)
        {
            _systemPeerId = null;
            _system.Unsynchronize();
            actions.Notice(NoticeKind.SyncLost, $"{source.Association.Settings.DisplayName}: system peer demobilized");
            ReportSystemEvent(Control.ProtocolEvents.NoSystemPeer, null, actions);
        }

        return true;
    }

    public IReadOnlyList<RemoteSource> Sources => _sources;

    public ClockDiscipline Discipline => _discipline;

    /// <summary>System jitter of the last selection (RFC 5905 §11.2.3 combine), seconds: ntpq's sys_jitter.</summary>
    public double SystemJitter { get; private set; }

    /// <summary>The current system peer, or null.</summary>
    public RemoteSource? SystemPeer => _systemPeerId is int id ? Find(id) : null;

    /// <summary>Observe-only: the last measured system offset (the loop does not run), else null.</summary>
    public double? ObservedOffset { get; private set; }

    /// <summary>The system offset ntpq shows: the loop's, or observe-only the measured one.</summary>
    public double SystemOffset => ObservedOffset ?? _discipline.Status.Offset;

    /// <summary>The system's protocol event counter and last event (the system status word's low byte).</summary>
    public Control.EventTally SystemEvents { get; } = new();

    /// <summary>Reports the events of a start as ntpd does: each configured association's mobilize,
    /// then the system's restart and, when the clock is disciplined, whether the drift file gave the
    /// frequency (freq_set with it) or not (freq_not_set).</summary>
    public void ReportStart(EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        foreach (RemoteSource source in _sources)
        {
            ReportPeerEvent(source, Control.ProtocolEvents.Mobilize, $"assoc {source.Id}", actions);
        }

        ReportSystemEvent(Control.ProtocolEvents.Restart, null, actions);
        if (_disciplineClock)
        {
            if (_driftFrequency is double frequency)
            {
                ReportSystemEvent(Control.ProtocolEvents.FrequencySet,
                    string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{frequency * 1e6:0.000} PPM"), actions);
            }
            else
            {
                ReportSystemEvent(Control.ProtocolEvents.FrequencyNotSet, null, actions);
            }
        }
    }

    /// <summary>Counts a system event and, unless ntpd's rule drops it, records a protostats line with
    /// the system status word after counting.</summary>
    /// <param name="code">The event.</param>
    /// <param name="detail">Text after the event's name, or null.</param>
    /// <param name="actions">Where the record goes.</param>
    /// <param name="withSystemPeer">True while a system peer is being installed (its id not yet set).</param>
    public void ReportSystemEvent(byte code, string? detail, EngineActions actions, bool withSystemPeer = false)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (!SystemEvents.TryCountSystem(code))
        {
            return;
        }

        byte clockSource = withSystemPeer || _systemPeerId is not null ? Core.Mode6.SystemStatusWord.SourceNtp : Core.Mode6.SystemStatusWord.SourceUnspecified;
        ushort status = new Core.Mode6.SystemStatusWord(_system.Leap, clockSource, SystemEvents.Count, SystemEvents.LastEvent).Encode();
        actions.RecordProto(new ProtoStatsRecord("0.0.0.0", status, code, EventText(code, detail)));
    }

    /// <summary>Counts an association's event and, unless ntpd's rule drops it, records a protostats line
    /// with the association's status word after counting.</summary>
    public void ReportPeerEvent(RemoteSource source, byte code, string? detail, EngineActions actions, bool asSystemPeer = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(actions);
        if (!source.Events.TryCountPeer(code))
        {
            return;
        }

        var view = new Control.RemoteSourceAssociation(source, asSystemPeer || _systemPeerId == source.Id, this);
        ushort status = view.StatusWord(source.Events.Count, source.Events.LastEvent);
        byte reported = (byte)(code | Control.ProtocolEvents.PeerEventFlag);
        actions.RecordProto(new ProtoStatsRecord(source.Association.Settings.Address.Address.ToString(), status, reported, EventText(reported, detail)));
    }

    private static string EventText(byte code, string? detail) =>
        detail is null ? Control.ProtocolEvents.Name(code) : Control.ProtocolEvents.Name(code) + " " + detail;

    public void Start(LoopTime now)
    {
        _started = true;
        _holdSelectionUntil = now.MonoSeconds + StartupHoldSeconds;
        foreach (RemoteSource source in _sources)
        {
            source.Association.Start(now);
        }
    }

    /// <summary>The earliest poll deadline (monotonic ns).</summary>
    public long NextDeadline()
    {
        long deadline = long.MaxValue;
        foreach (RemoteSource source in _sources)
        {
            deadline = Math.Min(deadline, source.Association.NextPollMono);
        }

        return deadline;
    }

    /// <summary>Polls without a valid packet after which an ephemeral association (one a broadcast or manycast
    /// server mobilized) is demobilized (ntpd's NTP_UNREACH).</summary>
    public const int EphemeralTimeoutPolls = 10;

    /// <summary>`tos bcpollbstep`: poll intervals a broadcast server's backward time step is held back.</summary>
    public int BroadcastBackstepPolls { get; init; }

    /// <summary>Ephemeral associations the last OnTimer found timed out: the engine demobilizes them.</summary>
    public IReadOnlyList<int> TimedOut => _timedOut;

    private readonly List<int> _timedOut = [];

    /// <summary>Sends the requests that are due.</summary>
    public void OnTimer(LoopTime now, EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        bool anyReachable = false;
        _timedOut.Clear();
        foreach (RemoteSource source in _sources)
        {
            bool wasReachable = source.Association.IsReachable;
            int length = source.Association.OnTimer(now, _requestBuffer);
            if (length > 0)
            {
                actions.Send(source.Id, _requestBuffer.AsSpan(0, length));
            }

            if (wasReachable && !source.Association.IsReachable)
            {
                ReportPeerEvent(source, Control.ProtocolEvents.Unreachable, null, actions);
            }

            if (source.Association.Settings.IsEphemeral && source.Association.Unreach >= EphemeralTimeoutPolls)
            {
                _timedOut.Add(source.Id);
            }

            anyReachable |= source.Association.IsReachable;
        }

        if (!anyReachable && _systemPeerId is not null)
        {
            _systemPeerId = null;
            _system.Unsynchronize();
            actions.Notice(NoticeKind.SyncLost, NoticeText.NoServersReachable);
            ReportSystemEvent(Control.ProtocolEvents.NoSystemPeer, null, actions);
        }
    }

    /// <summary>Records T1 for a request the host is about to send.</summary>
    public void MarkSent(int associationId, NtpTimestamp transmitTime) => Find(associationId)?.Association.MarkSent(transmitTime);

    /// <summary>Handles a datagram from association <paramref name="associationId"/>'s remote end.</summary>
    /// <param name="associationId">Which association the datagram came for.</param>
    /// <param name="data">The datagram.</param>
    /// <param name="receiveTime">T4.</param>
    /// <param name="now">Loop time.</param>
    /// <param name="actions">Where decisions go.</param>
    /// <param name="pendingSlew">Phase the clock driver still has to slew from earlier corrections.</param>
    /// <param name="pendingSlewUncertainty">How far <paramref name="pendingSlew"/> may be off (the kernel does
    /// not always say where in its slewing second it is): added to the sample's error bound.</param>
    public ReplyVerdict OnReply(int associationId, ReadOnlySpan<byte> data, NtpTimestamp receiveTime, LoopTime now, EngineActions actions, double pendingSlew = 0,
        double pendingSlewUncertainty = 0)
    {
        ArgumentNullException.ThrowIfNull(actions);
        RemoteSource? source = Find(associationId);
        if (source is null)
        {
            return ReplyVerdict.Malformed;
        }

        bool wasReachable = source.Association.IsReachable;
        ReplyVerdict verdict = source.Association.OnReply(data, receiveTime, now.MonoSeconds, _precision, out ClockSample sample);
        if (!wasReachable && source.Association.IsReachable)
        {
            ReportPeerEvent(source, Control.ProtocolEvents.Reachable, null, actions);
        }

        if (verdict == ReplyVerdict.KissOfDeath && source.Association.LastKiss is { ReducesRate: true })
        {
            ReportPeerEvent(source, Control.ProtocolEvents.RateExceeded, null, actions);
        }

        if (verdict == ReplyVerdict.AuthenticationFailed)
        {
            ReportPeerEvent(source, Control.ProtocolEvents.BadAuthentication, null, actions);
        }

        if (verdict == ReplyVerdict.Accepted && source.Association.LastReplyInterleaved && source.Association.InterleavedReplies == 1)
        {
            // The server answered in the interleaved mode for the first time (ntpd's interleave_mode).
            ReportPeerEvent(source, Control.ProtocolEvents.InterleaveMode, null, actions);
        }

        if (verdict != ReplyVerdict.Accepted)
        {
            return verdict;
        }

        if (source.Association.LastExchange is { } exchange)
        {
            actions.RecordRaw(new RawStatsRecord(source.Id, source.Association.Settings.Address.Address.ToString(), exchange));
        }

        if (source.Association.Settings.Mode == AssociationMode.BroadcastClient)
        {
            source.Association.RecordVolley(sample.Offset - pendingSlew, sample.Delay, sample.MonoSeconds);
        }

        AcceptSample(source, sample, now, actions, pendingSlew, pendingSlewUncertainty);
        return verdict;
    }

    /// <summary>A broadcast (mode 5) from broadcast client association <paramref name="associationId"/>'s server:
    /// a sample goes through the clock filter and selection like a reply.</summary>
    public ReplyVerdict OnBroadcast(int associationId, ReadOnlySpan<byte> data, NtpTimestamp receiveTime, LoopTime now, EngineActions actions, double pendingSlew = 0,
        double pendingSlewUncertainty = 0)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (Find(associationId) is not RemoteSource source)
        {
            return ReplyVerdict.Malformed;
        }

        bool wasReachable = source.Association.IsReachable;
        ReplyVerdict verdict = source.Association.OnBroadcast(data, receiveTime, now.MonoSeconds, _precision, BroadcastBackstepPolls, out ClockSample sample, pendingSlew);
        if (!wasReachable && source.Association.IsReachable)
        {
            ReportPeerEvent(source, Control.ProtocolEvents.Reachable, null, actions);
        }

        if (verdict == ReplyVerdict.AuthenticationFailed)
        {
            ReportPeerEvent(source, Control.ProtocolEvents.BadAuthentication, null, actions);
        }

        if (verdict != ReplyVerdict.Accepted)
        {
            return verdict;
        }

        if (source.Association.LastExchange is { } exchange)
        {
            actions.RecordRaw(new RawStatsRecord(source.Id, source.Association.Settings.Address.Address.ToString(), exchange));
        }

        AcceptSample(source, sample, now, actions, pendingSlew, pendingSlewUncertainty);
        return verdict;
    }

    /// <summary>One update of the clock discipline (RFC 5905 §11.3) from a new sample: the loop's correction
    /// for the clock driver, the stored samples referred to the corrected clock, the new poll, and a loopstats
    /// record.</summary>
    /// <param name="offset">The offset to correct, seconds.</param>
    /// <param name="sampleTime">When it was measured, monotonic seconds.</param>
    /// <param name="noise">Its expected error (one sigma), seconds.</param>
    private void UpdateDiscipline(LoopTime now, EngineActions actions, double offset, double sampleTime, double noise, OffsetBound bound, double pendingSlew)
    {
        double previousFrequency = _discipline.Frequency;
        DisciplineState previousState = _discipline.State;
        DisciplineOutcome outcome = _discipline.Update(offset, sampleTime, now.MonoSeconds, noise, bound);
        ReportDisciplineEvents(previousState, outcome, offset, actions);
        if (_discipline.FrequencyClamped is double wanted && !_frequencyErrorReported)
        {
            // ntpd's wording; once, not at every update while the oscillator stays out of range.
            _frequencyErrorReported = true;
            actions.Notice(NoticeKind.Info, NoticeText.FrequencyError(wanted, _discipline.Parameters.MaxFrequency));
        }
        CarryOut(outcome, offset, pendingSlew, actions);

        if (outcome.Result == DisciplineResult.Slew)
        {
            // Refer stored samples to the corrected clock (ClockFilter.Correct).
            foreach (RemoteSource source in _sources)
            {
                source.Filter.Correct(now.MonoSeconds, outcome.Slew, outcome.Frequency - previousFrequency);
                source.Association.CorrectVolley(now.MonoSeconds, outcome.Slew, outcome.Frequency - previousFrequency);
            }
        }

        foreach (RemoteSource source in _sources)
        {
            source.Association.SetPoll((sbyte)outcome.PollExponent);
        }

        UpdateFrequencyTolerance();
        DisciplineStatus loop = _discipline.Status;
        actions.RecordLoop(new LoopStatsRecord(loop.Offset, loop.Frequency * 1e6, loop.Jitter, loop.Wander * 1e6, loop.TimeConstant));
    }

    /// <summary>One poll of reference clock <paramref name="associationId"/>, from its driver in the host:
    /// the offset over the poll (null: no reading), the jitter among its readings, the leap bits it
    /// reports and its precision. A sample goes through the clock filter and selection like a reply.</summary>
    public ReplyVerdict OnRefclockPoll(int associationId, double? offset, double jitter, LeapIndicator leap, sbyte precision, LoopTime now, EngineActions actions, double pendingSlew = 0,
        double pendingSlewUncertainty = 0)
    {
        ArgumentNullException.ThrowIfNull(actions);
        RemoteSource? source = Find(associationId);
        if (source is null || !source.Association.IsRefclock)
        {
            return ReplyVerdict.Malformed;
        }

        ReplyVerdict verdict = source.Association.OnRefclockPoll(offset, jitter, leap, precision, now, out ClockSample sample);
        if (verdict != ReplyVerdict.Accepted)
        {
            return verdict;
        }

        AcceptSample(source, sample, now, actions, pendingSlew, pendingSlewUncertainty);
        return verdict;
    }

    /// <summary>A new sample of <paramref name="source"/> (a reply or a reference clock poll): into its
    /// clock filter, then selection and the discipline unless the startup hold still waits for other
    /// sources, and a peerstats record.</summary>
    /// <remarks>The offset is referred to the clock as it will be once the slew in flight is done; the
    /// uncertainty of that slew widens the sample's dispersion (its error bound), so the intersection, the
    /// weights and the discipline all trust it less.</remarks>
    private void AcceptSample(RemoteSource source, in ClockSample sample, LoopTime now, EngineActions actions, double pendingSlew, double pendingSlewUncertainty)
    {
        ClockFilterResult filtered = source.Filter.Add(new ClockFilterSample(sample.Offset - pendingSlew, sample.Delay,
            sample.Dispersion + Math.Abs(pendingSlewUncertainty), sample.MonoSeconds));
        if (filtered.Outcome == ClockFilterOutcome.NoValidSample)
        {
            return;
        }

        if (now.MonoSeconds >= _holdSelectionUntil || EverySourceIsReady(now.MonoSeconds))
        {
            Select(now, actions, source, filtered, pendingSlew);
        }

        Calibrate(source);
        RecordPeer(source, filtered, actions);
    }

    /// <summary>`enable calibrate` (ntpd's calibration facility): each reference clock's time1 follows the system peer
    /// when that is not itself a reference clock, so the clock shows the offset the selected source shows.</summary>
    public bool CalibrateRefclocks { get; init; }

    /// <summary>The share of the difference a calibration takes at each of the reference clock's samples.</summary>
    private const double CalibrationGain = 0.25;

    private void Calibrate(RemoteSource source)
    {
        if (!CalibrateRefclocks || !source.Association.IsRefclock || SystemPeer is not { } peer || peer.Association.IsRefclock
            || peer.Filter.ValidCount == 0 || source.Filter.ValidCount == 0)
        {
            return;
        }

        source.Association.Calibration -= CalibrationGain * (source.Filter.Last.Offset - peer.Filter.Last.Offset);
    }

    // peerstats: the new sample with the status word ntpq shows for the association after selection.
    private void RecordPeer(RemoteSource source, in ClockFilterResult filtered, EngineActions actions)
    {
        ushort status = new Control.RemoteSourceAssociation(source, _systemPeerId == source.Id, this).StatusWord();
        actions.RecordPeer(new PeerStatsRecord(source.Association.Settings.Address.Address.ToString(), status,
            filtered.Latest.Offset, filtered.Latest.Delay, filtered.Latest.Dispersion, filtered.Jitter));
    }


    /// <summary>Refids of our own addresses (IPv4 address, or the hash of an IPv6 one): a source above stratum
    /// 1 whose refid is one of them is synchronized to us, a timing loop, and is never selected.</summary>
    public IReadOnlySet<ReferenceId> LocalReferenceIds { get; set; } = new HashSet<ReferenceId>();

    /// <summary>TEST10..TEST13 of <paramref name="source"/> now (ntpd's peer_unfit): every fitness
    /// condition the selection would find it failing, with its last sample and clock filter as
    /// selection sees them; before any sample, as ntpd's cleared peer (leap 3, stratum 16,
    /// dispersion 16 s), which fails the stratum and distance tests.</summary>
    public FlashTest PeerTests(RemoteSource source, double nowMonoSeconds)
    {
        ArgumentNullException.ThrowIfNull(source);
        RemoteAssociation association = source.Association;
        ClockSample? sample = association.LastSample;
        ClockFilterResult last = source.Filter.Last;
        RemoteAssociationSettings settings = association.Settings;
        SelectionCandidate candidate = sample is { } known
            ? new SelectionCandidate(source.Id, last.Offset, last.Delay, last.Dispersion, last.Jitter, known.RootDelay, known.RootDispersion,
                known.Stratum, known.Leap, source.Filter.LastUpdateTime, association.IsReachable, settings.Prefer, settings.NoSelect, settings.True)
            : new SelectionCandidate(source.Id, 0, 0, ClockFilter.MaxDispersion, 0, 0, 0, SystemVariables.UnsynchronizedStratum,
                LeapIndicator.Unsynchronized, nowMonoSeconds, association.IsReachable, settings.Prefer, settings.NoSelect, settings.True);
        FitnessFailure failed = _selector.Fitness(candidate, nowMonoSeconds, _discipline.PollExponent, FrequencyTolerance);
        FlashTest tests = FlashTest.None;
        if ((failed & FitnessFailure.Unsynchronized) != 0)
        {
            tests |= FlashTest.PeerStratum;
        }

        if ((failed & FitnessFailure.Distance) != 0)
        {
            tests |= FlashTest.PeerDistance;
        }

        if (sample is { } received && IsLoop(received))
        {
            tests |= FlashTest.PeerLoop;
        }

        if ((failed & (FitnessFailure.Unreachable | FitnessFailure.NoSelect)) != 0)
        {
            tests |= FlashTest.PeerUnreachable;
        }

        return tests;
    }

    // An orphan at the orphan stratum shows the loopback address as refid (OrphanMode): that is not one of
    // our addresses seen through a loop, since a source synchronized to us would stand below us.
    private bool IsLoop(in ClockSample sample) =>
        sample.Stratum > 1 && LocalReferenceIds.Contains(sample.ReferenceId)
        && !(sample.Stratum == _selector.Parameters.OrphanStratum && sample.ReferenceId == OrphanMode.LoopbackReferenceId);

    /// <summary>The local end of each association's socket, by association id, when the host knows it: the
    /// address a source knows us by, whose metric the orphan-parent election compares with the source's.</summary>
    public IReadOnlyDictionary<int, System.Net.IPEndPoint>? AssociationLocalEndpoints { get; set; }

    /// <summary>The address metric that orders orphans in the orphan-parent election: the refid an address
    /// gives (the IPv4 address, or the first 32 bits of an IPv6 address's hash) as a number.</summary>
    public static uint OrphanAddressMetric(System.Net.IPAddress address) => ReferenceId.FromAddress(address).Value;

    // The source's metric when it is below ours toward it (ntpd compares with the refid of the interface
    // the association uses; unknown, ours counts as the highest, so any orphan source is eligible).
    private uint? OrphanParentMetric(RemoteSource source)
    {
        uint metric = OrphanAddressMetric(source.Association.Settings.Address.Address);
        uint ours = AssociationLocalEndpoints is { } locals && locals.TryGetValue(source.Id, out System.Net.IPEndPoint? local)
            && !local.Address.Equals(System.Net.IPAddress.Any) && !local.Address.Equals(System.Net.IPAddress.IPv6Any)
            ? OrphanAddressMetric(local.Address)
            : uint.MaxValue;
        return metric < ours ? metric : null;
    }

    /// <summary>The `leapfile` table, or null: its leap second at the end of this month is announced and armed.</summary>
    public Core.Leap.LeapSecondTable? LeapTable { get; set; }

    /// <summary>Growth rate of dispersion (clock filters and root distance) while the clock is disciplined.</summary>
    /// <remarks>PHI (15 ppm) until the frequency is known; then three times the discipline's frequency
    /// uncertainty plus its measured wander, never below <see cref="MinimumFrequencyTolerance"/> nor above PHI.
    /// See ClockFilter.AgingRate for why.</remarks>
    public double FrequencyTolerance { get; private set; } = ClockFilter.FrequencyTolerance;

    /// <summary>The floor of <see cref="FrequencyTolerance"/>: 1 ppm, an order above a disciplined clock's error.</summary>
    public const double MinimumFrequencyTolerance = 1e-6;

    /// <summary>RFC 5905 §11.2 on a new sample: selection over all sources, then discipline and clock_update.</summary>
    /// <remarks>
    /// Deviation: RFC 5905 runs selection and the discipline only when a source's least-delay sample changes,
    /// and feeds the discipline the combined offset. Here selection runs on every valid sample, and every new
    /// sample of a survivor reaches the discipline, weighted by its own expected error
    /// (ClockFilterResult.LatestNoise) widened by how far its source sits from the combined offset, so a
    /// source that disagrees with the others has little pull. The loop filter then averages many more samples
    /// (in S1 about half the RMS error of the least-delay-only rule), and a big initial correction is not
    /// left waiting for a least-delay sample. The combined offset still sets the system variables.
    /// </remarks>
    private void Select(LoopTime now, EngineActions actions, RemoteSource updated, ClockFilterResult filtered, double pendingSlew)
    {
        _candidates.Clear();
        foreach (RemoteSource source in _sources)
        {
            ClockFilterResult last = source.Filter.Last;
            ClockSample? sample = source.Association.LastSample;
            if (sample is null || source.Filter.ValidCount == 0 || IsLoop(sample.Value))
            {
                continue;
            }

            RemoteAssociationSettings settings = source.Association.Settings;
            _candidates.Add(new SelectionCandidate(source.Id, last.Offset, last.Delay, last.Dispersion, last.Jitter,
                sample.Value.RootDelay, sample.Value.RootDispersion, sample.Value.Stratum, sample.Value.Leap, source.Filter.LastUpdateTime,
                source.Association.IsReachable, settings.Prefer, settings.NoSelect, settings.True)
            {
                IntervalDispersion = last.ValidDispersion,
                OrphanMetric = sample.Value.Stratum == _selector.Parameters.OrphanStratum ? OrphanParentMetric(source) : null,
                IsPps = settings.Refclock?.IsPps == true,
            });
        }

        SelectionResult result = _selector.Select(_candidates, now.MonoSeconds, _systemPeerId, _discipline.PollExponent, FrequencyTolerance);
        foreach (RemoteSource source in _sources)
        {
            source.Rejection = source.Association.LastSample is { } last && IsLoop(last) ? RejectionReason.Loop : result.ReasonFor(source.Id);
            source.IsSurvivor = source.Rejection is null && (Contains(result.Survivors, source.Id) || source.Id == result.SystemPeerId);
            if (source.IsSurvivor)
            {
                source.Association.ResetUnreach();
            }
        }

        if (result.SystemPeerId is not int peerId || Find(peerId) is not RemoteSource peer)
        {
            // Nothing survived (ntpd's clock_select without typesystem): the system peer is gone, and the
            // system unsynchronized, so that nobody below takes time from a source we no longer trust and
            // orphan mode can start.
            if (_systemPeerId is int lostId && Find(lostId) is RemoteSource lost)
            {
                _systemPeerId = null;
                _system.Unsynchronize();
                actions.Notice(NoticeKind.SyncLost, NoticeText.NoSelectableSource(lost.Association.Settings.DisplayName, RejectionText(lost.Rejection)));
                ReportSystemEvent(Control.ProtocolEvents.NoSystemPeer, null, actions);
            }

            return;
        }

        SystemJitter = result.Jitter;
        PpsCompanionId = result.PpsCompanionId;
        if (_systemPeerId != peerId)
        {
            // ntpd reports the new system peer before the clock discipline runs on its offset.
            ReportPeerEvent(peer, Control.ProtocolEvents.SystemPeer, null, actions, asSystemPeer: true);
        }

        bool fromUpdated = updated.IsSurvivor && filtered.Latest.Time > _lastDisciplinedSampleTime;
        bool firstUpdate = !fromUpdated && !_disciplineStarted;
        if (fromUpdated || firstUpdate)
        {
            // Each new sample of a survivor, weighted by its own expected error widened by how far its
            // source sits from the combined offset. The first update, when selection first finds
            // survivors (samples that came while the startup hold waited have not been used), takes the
            // combined offset of all of them.
            ClockFilterSample latest = firstUpdate ? peer.Filter.Last.Latest : filtered.Latest;
            double offset = firstUpdate ? result.Offset : latest.Offset;
            double disagreement = firstUpdate ? 0 : updated.Filter.Last.Offset - result.Offset;
            bool bounded = !firstUpdate && filtered.LatestBound.IsBounded;
            double latestNoise = firstUpdate ? Math.Max(result.Jitter, peer.Filter.Last.LatestNoise) : bounded ? filtered.LatestFloorNoise : filtered.LatestNoise;
            double noise = Math.Sqrt((latestNoise * latestNoise) + (disagreement * disagreement) + (latest.Dispersion * latest.Dispersion));
            OffsetBound bound = bounded ? filtered.LatestBound : OffsetBound.None;
            if (bounded)
            {
                offset = filtered.LatestMeasuredOffset;
            }
            _lastDisciplinedSampleTime = latest.Time;
            _disciplineStarted = true;
            if (_disciplineClock)
            {
                UpdateDiscipline(now, actions, offset, latest.Time, noise, bound, pendingSlew);
            }
            else
            {
                // Observe-only (`disable ntp`): the clock is never corrected, so the loop is not run (it
                // would integrate an offset that never shrinks) and the stored samples stay as measured;
                // the system offset is reported as measured and logged to loopstats, as ntpd's
                // local_clock does with ntp disabled.
                ObservedOffset = result.Offset;
                DisciplineStatus open = _discipline.Status;
                actions.RecordLoop(new LoopStatsRecord(result.Offset, open.Frequency * 1e6, Math.Max(result.Jitter, open.Jitter), open.Wander * 1e6, open.TimeConstant));
            }
        }

        ClockFilterResult peerFilter = peer.Filter.Last;
        ClockSample peerSample = peer.Association.LastSample!.Value;
        double rootDelay = peerSample.RootDelay + peerFilter.Delay;
        double rootDispersion = peerSample.RootDispersion + peerFilter.Dispersion
            + Math.Sqrt((peerFilter.Jitter * peerFilter.Jitter) + (result.Jitter * result.Jitter)) + Math.Abs(result.Offset);
        byte stratum = (byte)Math.Min(peerSample.Stratum + 1, SystemVariables.UnsynchronizedStratum);
        LeapIndicator leap = LeapSchedule.Combine(result.Leap, LeapSchedule.FromTable(LeapTable, now.Real));
        ReferenceId refid = SystemVariables.ReferenceIdFor(stratum, peerSample.ReferenceId, peer.Association.Settings.Address.Address);
        _system.Update(leap, stratum, refid, rootDelay, rootDispersion, now, peer.Association.Settings.DisplayName);
        if (_systemPeerId != peerId)
        {
            SystemPeerReason = DescribeChoice(result, peer, _systemPeerId is int previousId ? Find(previousId) : null);
            SystemPeerChanges++;
            _systemPeerId = peerId;
            actions.Notice(NoticeKind.Synchronized, NoticeText.Synchronized(peer.Association.Settings.DisplayName, peerSample.Stratum));
        }

        ArmLeap(leap, now, rootDelay, rootDispersion, actions);
    }

    /// <summary>While a PPS clock is the system peer: the prefer peer beside it, which ntpq shows as `*`.</summary>
    public int? PpsCompanionId { get; private set; }

    /// <summary>Why the current system peer was chosen when it became the system peer (mode 6 variable
    /// peer_reason), or empty before the first selection.</summary>
    public string SystemPeerReason { get; private set; } = string.Empty;

    /// <summary>How many times the system peer has changed (mode 6 variable peer_changes).</summary>
    public int SystemPeerChanges { get; private set; }

    private static string DescribeChoice(SelectionResult result, RemoteSource peer, RemoteSource? previous)
    {
        string name = peer.Association.Settings.DisplayName;
        string before = previous?.Association.Settings.DisplayName ?? "";
        return result.Choice switch
        {
            SystemPeerChoice.Prefer => $"{name}: prefer peer",
            SystemPeerChoice.First => $"{name}: first selection, best merit",
            SystemPeerChoice.LowerStratum => $"{name}: lower stratum than {before}",
            SystemPeerChoice.CloserSource => $"{name}: {before} root distance beyond twice the best",
            SystemPeerChoice.PreviousRejected when previous is not null => $"{name}: {before} {RejectionText(previous.Rejection)}",
            SystemPeerChoice.PreviousRejected => $"{name}: previous system peer demobilized",
            SystemPeerChoice.OrphanParent => $"{name}: orphan parent, lowest address metric",
            SystemPeerChoice.Pps => $"{name}: PPS beside the prefer peer",
            _ => $"{name}: best merit",
        };
    }

    private static string RejectionText(RejectionReason? reason) => reason switch
    {
        RejectionReason.NoSelect => "is noselect",
        RejectionReason.Unreachable => "unreachable",
        RejectionReason.Unsynchronized => "unsynchronized",
        RejectionReason.Distance => "root distance beyond maxdist",
        RejectionReason.Falseticker => "falseticker",
        RejectionReason.Excess => "beyond maxclock",
        RejectionReason.Outlier => "clustered out",
        RejectionReason.NoMajority => "no majority",
        RejectionReason.Loop => "timing loop",
        _ => "not selected",
    };

    // Tells the kernel the clock is synchronized, its error bound (maxerror, which the kernel grows at
    // 500 µs/s until it reports the clock unsynchronized, so it is refreshed at each update as ntpd does),
    // and an announced leap second on the month's last UTC day (the kernel acts at UTC midnight).
    private void ArmLeap(LeapIndicator announced, LoopTime now, double rootDelay, double rootDispersion, EngineActions actions)
    {
        if (!_disciplineClock)
        {
            return;
        }

        LeapIndicator kernelLeap = LeapSchedule.KernelLeap(announced, now.Real);
        actions.Clock(new ClockAction(ClockActionKind.SetLeapStatus, (rootDelay / 2) + rootDispersion, 0, kernelLeap));
        bool changed = _armedLeap != kernelLeap;
        bool happened = changed && kernelLeap == LeapIndicator.NoWarning && now.Real >= _armedUntil;
        _armedLeap = kernelLeap;
        if (kernelLeap != LeapIndicator.NoWarning)
        {
            _armedUntil = LeapSchedule.EndOfUtcDay(now.Real);
        }

        if (changed)
        {
            // ntpd's leap_armed and leap_disarmed: the kernel was given a leap second, or had it taken back; leap_event:
            // the day it was armed for has ended, so the kernel has inserted (or deleted) it.
            byte code = kernelLeap != LeapIndicator.NoWarning ? Control.ProtocolEvents.LeapArmed
                : happened ? Control.ProtocolEvents.LeapEvent : Control.ProtocolEvents.LeapDisarmed;
            ReportSystemEvent(code, null, actions, withSystemPeer: true);
        }

        if (changed && kernelLeap != LeapIndicator.NoWarning)
        {
            actions.Notice(NoticeKind.Info, kernelLeap == LeapIndicator.InsertSecond
                ? "leap second insertion armed for the end of this UTC day"
                : "leap second deletion armed for the end of this UTC day");
        }
    }

    // ntpd's loop filter events: a step (clock_step with the step), a spike held back (spike_detect with
    // the offset), and entering the frequency-measuring or synchronized state (freq_mode, clock_sync).
    private void ReportDisciplineEvents(DisciplineState previous, DisciplineOutcome outcome, double offset, EngineActions actions)
    {
        DisciplineState state = _discipline.State;
        if (outcome.Result == DisciplineResult.Step)
        {
            ReportSystemEvent(Control.ProtocolEvents.ClockStep, Seconds(outcome.Step), actions, withSystemPeer: true);
        }

        if (state == previous)
        {
            return;
        }

        switch (state)
        {
            case DisciplineState.Spike:
                ReportSystemEvent(Control.ProtocolEvents.SpikeDetect, Seconds(offset), actions, withSystemPeer: true);
                break;
            case DisciplineState.Frequency:
                ReportSystemEvent(Control.ProtocolEvents.FrequencyMode, null, actions, withSystemPeer: true);
                break;
            case DisciplineState.Synchronized:
                ReportSystemEvent(Control.ProtocolEvents.ClockSync, null, actions, withSystemPeer: true);
                break;
        }
    }

    private static string Seconds(double value) =>
        value.ToString("+0.000000;-0.000000;+0.000000", System.Globalization.CultureInfo.InvariantCulture) + " s";

    private void UpdateFrequencyTolerance()
    {
        DisciplineStatus status = _discipline.Status;
        FrequencyTolerance = status.State == DisciplineState.Synchronized
            ? Math.Clamp((3 * status.FrequencyUncertainty) + status.Wander, MinimumFrequencyTolerance, ClockFilter.FrequencyTolerance)
            : ClockFilter.FrequencyTolerance;
        foreach (RemoteSource source in _sources)
        {
            source.Filter.AgingRate = FrequencyTolerance;
        }
    }

    private void CarryOut(DisciplineOutcome outcome, double systemOffset, double pendingSlew, EngineActions actions)
    {
        switch (outcome.Result)
        {
            case DisciplineResult.Step when _disciplineClock:
                actions.Notice(NoticeKind.Info, NoticeText.TimeReset(outcome.Step));
                actions.Clock(new ClockAction(ClockActionKind.Step, outcome.Step));
                foreach (RemoteSource source in _sources)
                {
                    source.Filter.Reset();
                }

                break;
            case DisciplineResult.Slew when _disciplineClock:
                // adjtime replaces what is pending, so the new slew carries the unfinished one too.
                actions.Clock(new ClockAction(ClockActionKind.Slew, pendingSlew + outcome.Slew, KernelTimeConstant(outcome.PollExponent)));
                if (outcome.FrequencyChanged)
                {
                    actions.Clock(new ClockAction(ClockActionKind.SetFrequency, outcome.Frequency));
                }

                break;
            case DisciplineResult.Panic:
                ReportSystemEvent(Control.ProtocolEvents.PanicStop, FormattableString.Invariant($"{systemOffset:+0;-0} s"), actions, withSystemPeer: true);
                actions.Notice(NoticeKind.Fatal, FormattableString.Invariant(
                    $"time correction of {Math.Round(systemOffset)} seconds exceeds sanity limit ({_discipline.Parameters.PanicThreshold}); set clock manually to the correct UTC time."));
                break;
        }
    }

    /// <summary>The kernel PLL's time constant for a phase correction at poll exponent <paramref name="poll"/>:
    /// the kernel slews with an e-folding time of 2^(2 + tc) s, 4 s at poll 6 and below, so a correction is
    /// applied well within one poll interval (ntpd's poll − 4 would take about a poll interval per e-fold).</summary>
    // Deviation: ntpd lets the kernel PLL also estimate frequency, so its time constant must track the poll
    // interval; here the loop filter sets the frequency (STA_FREQHOLD) and the PLL only slews phase.
    internal static int KernelTimeConstant(int poll) => Math.Max(0, poll - 6);

    // True when every source that can still answer has a sample whose root distance passes the fitness test.
    private bool EverySourceIsReady(double now)
    {
        foreach (RemoteSource source in _sources)
        {
            if (source.Association.StoppedBy is not null || source.Association.Settings.NoSelect || !source.Association.IsTimeSource)
            {
                continue;
            }

            ClockFilterResult last = source.Filter.Last;
            ClockSample? sample = source.Association.LastSample;
            if (sample is null || source.Filter.ValidCount == 0)
            {
                return false;
            }

            var candidate = new SelectionCandidate(source.Id, last.Offset, last.Delay, last.Dispersion, last.Jitter,
                sample.Value.RootDelay, sample.Value.RootDispersion, sample.Value.Stratum, sample.Value.Leap, source.Filter.LastUpdateTime)
            {
                IntervalDispersion = last.ValidDispersion,
            };
            if ((_selector.Fitness(candidate, now, _discipline.PollExponent, FrequencyTolerance) & FitnessFailure.Distance) != 0)
            {
                return false;
            }
        }

        return true;
    }

    internal RemoteSource? Find(int id)
    {
        foreach (RemoteSource source in _sources)
        {
            if (source.Id == id)
            {
                return source;
            }
        }

        return null;
    }

    private static bool Contains(IReadOnlyList<SelectionCandidate> candidates, int id)
    {
        foreach (SelectionCandidate candidate in candidates)
        {
            if (candidate.Id == id)
            {
                return true;
            }
        }

        return false;
    }
}
