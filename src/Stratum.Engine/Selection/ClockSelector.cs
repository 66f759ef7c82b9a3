// ClockSelector: the system process of RFC 5905 §11.2 in one pure call. It applies the fitness test
// (A.5.5.3 fit: reachable, stratum < 16, leap ≠ 3, λ ≤ maxdist + PHI·2^poll), the intersection algorithm
// (§11.2.1), sorts truechimers by merit (stratum × MAXDIST + λ), keeps at most maxclock, clusters (§11.2.2),
// picks the system peer and combines (§11.2.3). System peer: the prefer peer if it survives, else the current
// system peer if it still survives and is not clearly worse (anti-clockhop), else the first survivor; the
// result says which rule chose it (SystemPeerChoice). With `tos orphan S`, sources at stratum S or above
// never take part; when nothing else survives, the orphan parent is elected: of the candidates at exactly
// stratum S whose address metric is below ours (SelectionCandidate.OrphanMetric), the lowest (RFC 5905's
// orphan mode as ntpd 4.2.8 runs it), so every orphan of a group picks the same one. A PPS clock takes
// part in the intersection only; when it survives beside a prefer peer and the combined offset is within
// 0.4 s it becomes the system peer (ntpd's PPS rule). Limits: no loop detection by refid (the association
// rejects those before); the prefer peer's offset is still combined with the others.
using Stratum.Core.Wire;

namespace Stratum.Engine.Selection;

/// <summary>RFC 5905 §11.2 clock selection, clustering and combining.</summary>
/// <remarks>A.5.5.1 clock_select, A.5.5.2 root_dist, A.5.5.3 fit, A.5.5.5 clock_combine; s.p (system peer).</remarks>
public sealed class ClockSelector
{
    /// <summary>MAXDIST used as the stratum weight of the merit sort (A.5.5.1).</summary>
    private const double MeritStratumWeight = 1.5;

    /// <summary>A PPS clock is used only while the combined offset is within this (ntpd's 0.4 s).</summary>
    private const double MaxPpsOffset = 0.4;

    /// <summary>Highest valid stratum + 1 (MAXSTRAT).</summary>
    private const int MaxStratum = 16;

    /// <summary>Creates a selector with the given <c>tos</c> parameters.</summary>
    public ClockSelector(SelectionParameters? parameters = null)
    {
        Parameters = parameters ?? SelectionParameters.Default;
    }

    /// <summary>The <c>tos</c> parameters.</summary>
    public SelectionParameters Parameters { get; }

    /// <summary>The fitness test (A.5.5.3 fit) of one candidate: every condition it fails. Select
    /// rejects on the first of NoSelect, Unreachable, Unsynchronized, Distance (in that order).</summary>
    /// <param name="candidate">The association.</param>
    /// <param name="now">Monotonic seconds.</param>
    /// <param name="systemPollExponent">s.poll: λ may reach maxdist + PHI·2^poll.</param>
    /// <param name="frequencyTolerance">Dispersion growth rate since the candidate's last update.</param>
    public FitnessFailure Fitness(in SelectionCandidate candidate, double now, int systemPollExponent = 6,
        double frequencyTolerance = RootDistance.FrequencyTolerance) =>
        Fitness(candidate, now, systemPollExponent, frequencyTolerance, out _);

    private static RejectionReason? FirstReason(FitnessFailure failed) =>
        (failed & FitnessFailure.NoSelect) != 0 ? RejectionReason.NoSelect
        : (failed & FitnessFailure.Unreachable) != 0 ? RejectionReason.Unreachable
        : (failed & FitnessFailure.Unsynchronized) != 0 ? RejectionReason.Unsynchronized
        : (failed & FitnessFailure.Distance) != 0 ? RejectionReason.Distance
        : null;

    private FitnessFailure Fitness(in SelectionCandidate candidate, double now, int systemPollExponent, double frequencyTolerance, out double distance)
    {
        FitnessFailure failed = FitnessFailure.None;
        if (candidate.NoSelect)
        {
            failed |= FitnessFailure.NoSelect;
        }

        if (!candidate.Reachable)
        {
            failed |= FitnessFailure.Unreachable;
        }

        if (candidate.Leap == LeapIndicator.Unsynchronized || candidate.Stratum >= MaxStratum || candidate.Stratum >= Parameters.OrphanStratum)
        {
            failed |= FitnessFailure.Unsynchronized;
        }

        // Deviation: ntpd tests λ, whose ε weighs every empty filter stage at MAXDISP (16 s), so a new
        // association passes the 1.5 s limit only with its fourth sample: three poll intervals (192 s at
        // the default poll) before a server can be used at all. The limit is there to refuse sources whose
        // time is not known well enough; an empty stage says nothing about that, while the distance of the
        // samples held (the correctness interval the intersection uses) does. So the test uses that
        // interval, and a server is selectable from its first good sample, as with chrony; λ itself still
        // orders and weighs the survivors, so a source with few samples counts less.
        distance = RootDistance.Of(candidate, now, Parameters.MinDistance, frequencyTolerance);
        double distanceLimit = Parameters.MaxDistance + (RootDistance.FrequencyTolerance * Math.Pow(2, systemPollExponent));
        if (!(IntervalDistance(candidate, now, frequencyTolerance) <= distanceLimit))
        {
            failed |= FitnessFailure.Distance;
        }

        return failed;
    }

    /// <summary>Runs selection at monotonic time <paramref name="now"/> (seconds).</summary>
    /// <param name="candidates">Every association's snapshot.</param>
    /// <param name="now">Monotonic seconds, for the dispersion growth term of λ.</param>
    /// <param name="currentSystemPeerId">The present system peer, kept while it survives.</param>
    /// <param name="systemPollExponent">s.poll: the fitness test allows λ up to maxdist + PHI·2^poll.</param>
    /// <param name="frequencyTolerance">Dispersion growth rate since each candidate's last update (PHI by default).</param>
    public SelectionResult Select(IReadOnlyList<SelectionCandidate> candidates, double now, int? currentSystemPeerId = null, int systemPollExponent = 6,
        double frequencyTolerance = RootDistance.FrequencyTolerance)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        SelectionResult result = SelectAmongFit(candidates, now, currentSystemPeerId, systemPollExponent, frequencyTolerance);
        return result.SystemPeerId is null && Parameters.OrphanStratum < MaxStratum
            ? ElectOrphanParent(candidates, result, now, systemPollExponent, frequencyTolerance) ?? result
            : result;
    }

    // The orphan parent when no source below the orphan stratum survived: the candidate at exactly the
    // orphan stratum, fit in every other way, with the lowest address metric among those below our own
    // (ntpd 4.2.8 clock_select). None when we have the lowest metric: then we are the parent, and orphan
    // mode (OrphanMode) serves our own clock at stratum S once orphanwait has passed.
    private SelectionResult? ElectOrphanParent(IReadOnlyList<SelectionCandidate> candidates, SelectionResult unsynchronized, double now,
        int systemPollExponent, double frequencyTolerance)
    {
        SelectionCandidate? parent = null;
        foreach (SelectionCandidate candidate in candidates)
        {
            if (candidate.OrphanMetric is not uint metric || candidate.Stratum != Parameters.OrphanStratum
                || candidate.Leap == LeapIndicator.Unsynchronized
                || (Fitness(candidate, now, systemPollExponent, frequencyTolerance, out _) & ~FitnessFailure.Unsynchronized) != FitnessFailure.None)
            {
                continue;
            }

            if (parent is null || metric < parent.Value.OrphanMetric!.Value)
            {
                parent = candidate;
            }
        }

        if (parent is not SelectionCandidate elected)
        {
            return null;
        }

        var rejected = new List<RejectedCandidate>(unsynchronized.Rejected.Count);
        foreach (RejectedCandidate candidate in unsynchronized.Rejected)
        {
            if (candidate.Id != elected.Id)
            {
                rejected.Add(candidate);
            }
        }

        return new SelectionResult([elected], [elected.Id], rejected, elected.Id, elected.Offset, 0, elected.Jitter, elected.Leap)
        {
            Choice = SystemPeerChoice.OrphanParent,
        };
    }

    private SelectionResult SelectAmongFit(IReadOnlyList<SelectionCandidate> candidates, double now, int? currentSystemPeerId, int systemPollExponent,
        double frequencyTolerance)
    {
        var rejected = new List<RejectedCandidate>();
        var fit = new List<(SelectionCandidate Candidate, double Distance)>();

        foreach (SelectionCandidate candidate in candidates)
        {
            FitnessFailure failed = Fitness(candidate, now, systemPollExponent, frequencyTolerance, out double distance);
            RejectionReason? reason = FirstReason(failed);
            if (reason is { } r)
            {
                rejected.Add(new RejectedCandidate(candidate.Id, r));
            }
            else
            {
                fit.Add((candidate, distance));
            }
        }

        var offsets = new double[fit.Count];
        var distances = new double[fit.Count];
        for (int i = 0; i < fit.Count; i++)
        {
            offsets[i] = fit[i].Candidate.Offset;
            distances[i] = IntervalDistance(fit[i].Candidate, now, frequencyTolerance);
        }

        IntersectionInterval interval = IntersectionAlgorithm.Find(offsets, distances);
        var truechimers = new List<(SelectionCandidate Candidate, double Distance)>();
        foreach ((SelectionCandidate candidate, double distance) in fit)
        {
            if (candidate.AlwaysTrue || IntersectionAlgorithm.IsTruechimer(interval, candidate.Offset, IntervalDistance(candidate, now, frequencyTolerance)))
            {
                truechimers.Add((candidate, distance));
            }
            else
            {
                rejected.Add(new RejectedCandidate(candidate.Id, interval.Found ? RejectionReason.Falseticker : RejectionReason.NoMajority));
            }
        }

        // Merit order: stratum first, then root distance (A.5.5.1: s.v[i].metric = MAXDIST·stratum + λ).
        truechimers.Sort(static (a, b) =>
            ((MeritStratumWeight * a.Candidate.Stratum) + a.Distance).CompareTo((MeritStratumWeight * b.Candidate.Stratum) + b.Distance));
        var truechimerIds = new List<int>(truechimers.Count);
        foreach ((SelectionCandidate candidate, _) in truechimers)
        {
            truechimerIds.Add(candidate.Id);
        }

        // ntpd's PPS rule (clock_select's typepps): a pulse-per-second clock that survives the intersection
        // stays out of the clustering population and the leap vote; it takes over below.
        SelectionCandidate? pps = null;
        for (int i = truechimers.Count - 1; i >= 0; i--)
        {
            if (truechimers[i].Candidate.IsPps)
            {
                pps = truechimers[i].Candidate;
                truechimers.RemoveAt(i);
            }
        }

        LeapIndicator leap = VoteLeap(truechimers);

        if (truechimers.Count < Math.Max(1, Parameters.MinSane))
        {
            foreach ((SelectionCandidate candidate, _) in truechimers)
            {
                rejected.Add(new RejectedCandidate(candidate.Id, RejectionReason.NoMajority));
            }

            return new SelectionResult([], truechimerIds, rejected, null, 0, 0, 0, LeapIndicator.Unsynchronized);
        }

        var survivors = new List<SelectionCandidate>(truechimers.Count);
        var distanceById = new Dictionary<int, double>(truechimers.Count);
        foreach ((SelectionCandidate candidate, double distance) in truechimers)
        {
            if (survivors.Count < Parameters.MaxClock)
            {
                survivors.Add(candidate);
                distanceById[candidate.Id] = distance;
            }
            else
            {
                rejected.Add(new RejectedCandidate(candidate.Id, RejectionReason.Excess));
            }
        }

        var pruned = new List<SelectionCandidate>();
        ClusterAlgorithm.Prune(survivors, Parameters.MinClock, pruned, currentSystemPeerId);
        foreach (SelectionCandidate outlier in pruned)
        {
            rejected.Add(new RejectedCandidate(outlier.Id, RejectionReason.Outlier));
        }

        int systemPeerIndex = 0;
        int preferIndex = survivors.FindIndex(static c => c.Prefer);
        int currentIndex = currentSystemPeerId is { } currentId ? survivors.FindIndex(c => c.Id == currentId) : -1;
        SystemPeerChoice choice = currentSystemPeerId is null ? SystemPeerChoice.First : SystemPeerChoice.PreviousRejected;
        if (preferIndex >= 0)
        {
            systemPeerIndex = preferIndex;
            choice = SystemPeerChoice.Prefer;
        }
        else if (currentIndex >= 0)
        {
            // Anti-clockhop: keep the system peer while it survives and is not clearly worse than the survivor
            // of best merit. Deviation: ntpd keeps it only while its offset stays within a hysteresis that
            // halves at each pass (sys_clockhop, from tos mindist), so among equal servers it still hops every
            // few polls as their offsets cross; each hop moves the clock by their disagreement. Here only a
            // real difference in quality hops: a lower stratum, or a root distance beyond twice the best's
            // plus tos mindist (of the samples held: while filters fill, a source polled a moment later would
            // otherwise look twice as far for its one empty stage more).
            SelectionCandidate best = survivors[0];
            SelectionCandidate current = survivors[currentIndex];
            if (best.Stratum < current.Stratum)
            {
                choice = SystemPeerChoice.LowerStratum;
            }
            else if (IntervalDistance(current, now, frequencyTolerance) > (2 * IntervalDistance(best, now, frequencyTolerance)) + Parameters.MinDistance)
            {
                choice = SystemPeerChoice.CloserSource;
            }
            else
            {
                systemPeerIndex = currentIndex;
                choice = SystemPeerChoice.Kept;
            }
        }

        var survivorDistances = new double[survivors.Count];
        for (int i = 0; i < survivors.Count; i++)
        {
            survivorDistances[i] = distanceById[survivors[i].Id];
        }

        CombinedOffset combined = CombineAlgorithm.Combine(survivors, survivorDistances, systemPeerIndex);
        if (pps is { } pulse && preferIndex >= 0 && Math.Abs(combined.Offset) < MaxPpsOffset)
        {
            // The prefer peer numbers the seconds (the combined time is within 0.4 s, so each pulse marks
            // the right one) and the pulses give the instants: the PPS clock is the system peer.
            return new SelectionResult(survivors, truechimerIds, rejected, pulse.Id, pulse.Offset, combined.SelectionJitter, pulse.Jitter, leap)
            {
                Choice = SystemPeerChoice.Pps,
                PpsCompanionId = survivors[preferIndex].Id,
            };
        }

        return new SelectionResult(
            survivors,
            truechimerIds,
            rejected,
            survivors[systemPeerIndex].Id,
            combined.Offset,
            combined.SelectionJitter,
            combined.Jitter,
            leap)
        {
            Choice = choice,
        };
    }

    // The half-width of a candidate's correctness interval for the intersection algorithm.
    // Deviation: RFC 5905 uses λ, whose ε counts every empty filter stage at MAXDISP (16 s) with weight
    // 2^-(i+1), so for the first samples every interval is about a second wide and a server 50 ms off
    // cannot be told from the others (it may even be chosen while the filters fill). An empty stage says
    // "too few samples", which the fitness test (λ ≤ maxdist) already enforces; it says nothing about where
    // the time is. The interval here uses ε of the valid samples only; the sample bound δ/2 + ε and the
    // server's root distance still hold for each truechimer, and tos mindist still floors it.
    private double IntervalDistance(in SelectionCandidate candidate, double now, double frequencyTolerance) =>
        double.IsNaN(candidate.IntervalDispersion)
            ? RootDistance.Of(candidate, now, Parameters.MinDistance, frequencyTolerance)
            : RootDistance.Of(candidate with { Dispersion = candidate.IntervalDispersion }, now, Parameters.MinDistance, frequencyTolerance);

    // The leap indicator set by more than half of the truechimers wins; otherwise no warning (ntpd's
    // leap_vote). With no truechimer the system is unsynchronized.
    private static LeapIndicator VoteLeap(List<(SelectionCandidate Candidate, double Distance)> truechimers)
    {
        if (truechimers.Count == 0)
        {
            return LeapIndicator.Unsynchronized;
        }

        int insert = 0;
        int delete = 0;
        foreach ((SelectionCandidate candidate, _) in truechimers)
        {
            if (candidate.Leap == LeapIndicator.InsertSecond)
            {
                insert++;
            }
            else if (candidate.Leap == LeapIndicator.DeleteSecond)
            {
                delete++;
            }
        }

        if (2 * insert > truechimers.Count)
        {
            return LeapIndicator.InsertSecond;
        }

        return 2 * delete > truechimers.Count ? LeapIndicator.DeleteSecond : LeapIndicator.NoWarning;
    }
}
