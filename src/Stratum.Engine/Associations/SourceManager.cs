// SourceManager: the remote half of ntpd's engine (RFC 5905 §9–11): it polls every remote
// association, passes valid samples through each association's clock filter (§10), runs selection,
// clustering and combining over all sources (§11.2), feeds the combined offset to the clock
// discipline (§11.3) and updates the system variables (§11.2.2 clock_update). Its decisions leave
// as EngineActions: packets to send, clock actions, and notices in ntpd's wording ("synchronized to
// 10.0.0.1, stratum 2", "time reset +0.315 s", "no servers reachable").
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
    private readonly byte[] _requestBuffer = new byte[NtpHeader.Size];
    private readonly List<SelectionCandidate> _candidates = [];
    private int? _systemPeerId;
    private int _survivorCount;
    private double _holdSelectionUntil;

    /// <summary>At start, selection waits up to this long for every source's first sample, so the
    /// first server to answer (perhaps a falseticker) is not chosen alone before the others are heard.</summary>
    private const double StartupHoldSeconds = 10;

    /// <param name="associations">Remote sources with their ids.</param>
    /// <param name="system">The system variables to update.</param>
    /// <param name="random">Cookies and poll jitter.</param>
    /// <param name="precision">Our clock's precision exponent.</param>
    /// <param name="selection">tos parameters.</param>
    /// <param name="discipline">tinker parameters and -g/-x.</param>
    /// <param name="driftFrequency">Frequency from the drift file (s/s), if any.</param>
    /// <param name="disciplineClock">False with `disable ntp`: select and serve, but never adjust.</param>
    public SourceManager(
        IReadOnlyList<(int Id, RemoteAssociationSettings Settings)> associations,
        SystemVariables system,
        IRandomSource random,
        sbyte precision,
        SelectionParameters selection,
        DisciplineParameters discipline,
        double? driftFrequency,
        bool disciplineClock)
    {
        ArgumentNullException.ThrowIfNull(associations);
        _system = system;
        _precision = precision;
        _disciplineClock = disciplineClock;
        _selector = new ClockSelector(selection);
        _discipline = new ClockDiscipline(discipline, driftFrequency);
        foreach ((int id, RemoteAssociationSettings settings) in associations)
        {
            _sources.Add(new RemoteSource(new RemoteAssociation(id, settings, random, system), new ClockFilter(Math.ScaleB(1.0, precision))));
        }
    }

    public IReadOnlyList<RemoteSource> Sources => _sources;

    public ClockDiscipline Discipline => _discipline;

    /// <summary>System jitter of the last selection (RFC 5905 §11.2.3 combine), seconds: ntpq's sys_jitter.</summary>
    public double SystemJitter { get; private set; }

    /// <summary>The current system peer, or null.</summary>
    public RemoteSource? SystemPeer => _systemPeerId is int id ? Find(id) : null;

    public void Start(LoopTime now)
    {
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

    /// <summary>Sends the requests that are due.</summary>
    public void OnTimer(LoopTime now, EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        bool anyReachable = false;
        foreach (RemoteSource source in _sources)
        {
            int length = source.Association.OnTimer(now, _requestBuffer);
            if (length > 0)
            {
                actions.Send(source.Id, _requestBuffer.AsSpan(0, length));
            }

            anyReachable |= source.Association.IsReachable;
        }

        if (!anyReachable && _systemPeerId is not null)
        {
            _systemPeerId = null;
            _system.Unsynchronize();
            actions.Notice(NoticeKind.SyncLost, "no servers reachable");
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
    public ReplyVerdict OnReply(int associationId, ReadOnlySpan<byte> data, NtpTimestamp receiveTime, LoopTime now, EngineActions actions, double pendingSlew = 0)
    {
        ArgumentNullException.ThrowIfNull(actions);
        RemoteSource? source = Find(associationId);
        if (source is null)
        {
            return ReplyVerdict.Malformed;
        }

        ReplyVerdict verdict = source.Association.OnReply(data, receiveTime, now.MonoSeconds, _precision, out ClockSample sample);
        if (verdict != ReplyVerdict.Accepted)
        {
            return verdict;
        }

        ClockFilterResult filtered = source.Filter.Add(new ClockFilterSample(sample.Offset, sample.Delay, sample.Dispersion, sample.MonoSeconds));
        // Deviation: with a single survivor that is this source, every sample reaches the discipline,
        // weighted by its own expected error (ClockFilterResult.LatestNoise), not only RFC 5905's
        // least-delay sample: the Kalman loop filter then averages more samples (about half the RMS
        // error in S1). Otherwise selection runs on each new least-delay sample as in the RFC.
        if (now.MonoSeconds < _holdSelectionUntil && !EverySourceHasSample())
        {
            return verdict;
        }

        bool singleSourceSample = _systemPeerId == associationId && _survivorCount == 1 && filtered.Outcome != ClockFilterOutcome.NoValidSample;
        // Until synchronized, every valid sample re-runs selection: a server must not wait for its
        // least-delay sample to change before it can be chosen (iburst then selects within seconds).
        bool unsynchronized = _systemPeerId is null && filtered.Outcome != ClockFilterOutcome.NoValidSample;
        if (filtered.IsNew || singleSourceSample || unsynchronized)
        {
            Select(now, actions, singleSourceSample ? filtered : null, pendingSlew);
        }

        return verdict;
    }

    /// <summary>RFC 5905 §11.2: selection over all sources, then discipline and clock_update.</summary>
    private void Select(LoopTime now, EngineActions actions, ClockFilterResult? latestOfSystemPeer, double pendingSlew)
    {
        _candidates.Clear();
        foreach (RemoteSource source in _sources)
        {
            ClockFilterResult last = source.Filter.Last;
            ClockSample? sample = source.Association.LastSample;
            if (sample is null || source.Filter.ValidCount == 0)
            {
                continue;
            }

            RemoteAssociationSettings settings = source.Association.Settings;
            _candidates.Add(new SelectionCandidate(source.Id, last.Offset, last.Delay, last.Dispersion, last.Jitter,
                sample.Value.RootDelay, sample.Value.RootDispersion, sample.Value.Stratum, sample.Value.Leap, source.Filter.LastUpdateTime,
                source.Association.IsReachable, settings.Prefer, settings.NoSelect, settings.True));
        }

        SelectionResult result = _selector.Select(_candidates, now.MonoSeconds, _systemPeerId, _discipline.PollExponent);
        foreach (RemoteSource source in _sources)
        {
            source.Rejection = result.ReasonFor(source.Id);
            source.IsSurvivor = source.Rejection is null && Contains(result.Survivors, source.Id);
        }

        if (result.SystemPeerId is not int peerId || Find(peerId) is not RemoteSource peer)
        {
            return;
        }

        _survivorCount = result.Survivors.Count;
        SystemJitter = result.Jitter;
        ClockFilterResult peerFilter = peer.Filter.Last;
        double previousFrequency = _discipline.Frequency;
        DisciplineOutcome outcome = latestOfSystemPeer is { } latest && peerId == _systemPeerId && result.Survivors.Count == 1
            ? _discipline.Update(latest.Latest.Offset, latest.Latest.Time, now.MonoSeconds, latest.LatestNoise, pendingSlew)
            : _discipline.Update(result.Offset, peerFilter.Time, now.MonoSeconds, result.Jitter, pendingSlew);
        CarryOut(outcome, result.Offset, pendingSlew, actions);
        if (outcome.Result == DisciplineResult.Slew)
        {
            // Refer stored samples to the corrected clock, so filter jitter measures the network, not our slews.
            foreach (RemoteSource source in _sources)
            {
                source.Filter.Correct(now.MonoSeconds, outcome.Slew, outcome.Frequency - previousFrequency);
            }
        }
        foreach (RemoteSource source in _sources)
        {
            source.Association.SetPoll((sbyte)outcome.PollExponent);
        }

        ClockSample peerSample = peer.Association.LastSample!.Value;
        double rootDelay = peerSample.RootDelay + peerFilter.Delay;
        double rootDispersion = peerSample.RootDispersion + peerFilter.Dispersion
            + Math.Sqrt((peerFilter.Jitter * peerFilter.Jitter) + (result.Jitter * result.Jitter)) + Math.Abs(result.Offset);
        byte stratum = (byte)Math.Min(peerSample.Stratum + 1, SystemVariables.UnsynchronizedStratum);
        _system.Update(result.Leap, stratum, ReferenceId.FromAddress(peer.Association.Settings.Address.Address),
            rootDelay, rootDispersion, now, peer.Association.Settings.DisplayName);
        if (_systemPeerId != peerId)
        {
            _systemPeerId = peerId;
            actions.Notice(NoticeKind.Synchronized, $"synchronized to {peer.Association.Settings.DisplayName}, stratum {peerSample.Stratum}");
        }
    }

    private void CarryOut(DisciplineOutcome outcome, double systemOffset, double pendingSlew, EngineActions actions)
    {
        switch (outcome.Result)
        {
            case DisciplineResult.Step:
                actions.Notice(NoticeKind.Info, FormattableString.Invariant($"time reset {outcome.Step:+0.000000;-0.000000} s"));
                if (_disciplineClock)
                {
                    actions.Clock(new ClockAction(ClockActionKind.Step, outcome.Step));
                }

                foreach (RemoteSource source in _sources)
                {
                    source.Filter.Reset();
                }

                break;
            case DisciplineResult.Slew when _disciplineClock:
                // adjtime replaces what is pending, so the new slew carries the unfinished one too.
                actions.Clock(new ClockAction(ClockActionKind.Slew, pendingSlew + outcome.Slew, Math.Max(0, outcome.PollExponent - 4)));
                if (outcome.FrequencyChanged)
                {
                    actions.Clock(new ClockAction(ClockActionKind.SetFrequency, outcome.Frequency));
                }

                break;
            case DisciplineResult.Panic:
                actions.Notice(NoticeKind.Fatal, FormattableString.Invariant(
                    $"time correction of {Math.Round(systemOffset)} seconds exceeds sanity limit ({_discipline.Parameters.PanicThreshold}); set clock manually to the correct UTC time."));
                break;
        }
    }

    private bool EverySourceHasSample()
    {
        foreach (RemoteSource source in _sources)
        {
            if (source.Filter.ValidCount == 0 && source.Association.StoppedBy is null)
            {
                return false;
            }
        }

        return true;
    }

    private RemoteSource? Find(int id)
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
