// Clock selection: RFC 5905 §11.2 intersection (truechimers vs falsetickers, majority), cluster (prune the
// outlier), combine (1/λ weights), root distance (A.5.5.2), fitness, system peer choice and the leap vote.
using Stratum.Core.Wire;
using Stratum.Engine.Selection;

namespace Stratum.Engine.Tests.Selection;

public class ClockSelectionTests
{
    private const double Now = 1000;

    // A LAN server: λ = (Δ + δ)/2 + E + ε + ψ = 0.0002/2 + 0.0002 + 0.0005 + 0.0002 = 0.001 s.
    private static SelectionCandidate Server(int id, double offset, int stratum = 2, LeapIndicator leap = LeapIndicator.NoWarning,
        double jitter = 0.0002, double dispersion = 0.0005) =>
        new(id, offset, 0.0002, dispersion, jitter, 0, 0.0002, stratum, leap, Now);

    [Fact]
    public void RootDistance_Formula_MatchesA552()
    {
        var candidate = new SelectionCandidate(1, 0, 0.004, 0.001, 0.0005, 0.010, 0.002, 2, LeapIndicator.NoWarning, Now - 100);
        double expected = ((0.010 + 0.004) / 2) + 0.002 + 0.001 + (15e-6 * 100) + 0.0005;
        Assert.Equal(expected, RootDistance.Of(candidate, Now), 12);
    }

    [Fact]
    public void RootDistance_TinyValues_FlooredAtMinDistance()
    {
        var candidate = new SelectionCandidate(1, 0, 0, 0, 0, 0, 0, 1, LeapIndicator.NoWarning, Now);
        Assert.Equal(0.001, RootDistance.Of(candidate, Now));
        Assert.Equal(0.01, RootDistance.Of(candidate, Now, minDistance: 0.01));
    }

    [Fact]
    public void Intersection_ThreeGoodOneFiveMsOff_FalsetickerRejected()
    {
        var selector = new ClockSelector();
        SelectionResult result = selector.Select(
            [Server(1, 0.0000), Server(2, 0.0001), Server(3, -0.0001), Server(4, 0.005)], Now);
        Assert.Equal(RejectionReason.Falseticker, result.ReasonFor(4));
        Assert.Equal([1, 2, 3], result.Truechimers.Order());
        Assert.NotEqual(4, result.SystemPeerId);
        Assert.True(Math.Abs(result.Offset) < 0.0001);
    }

    [Fact]
    public void Intersection_TwoAgainstOne_MajorityRules()
    {
        IntersectionInterval interval = IntersectionAlgorithm.Find([0.0, 0.0005, 0.010], [0.001, 0.001, 0.001]);
        Assert.True(interval.Found);
        Assert.Equal(1, interval.Falsetickers);
        Assert.Equal(-0.0005, interval.Low, 12);
        Assert.Equal(0.001, interval.High, 12);
        Assert.False(IntersectionAlgorithm.IsTruechimer(interval, 0.010, 0.001));
        Assert.True(IntersectionAlgorithm.IsTruechimer(interval, 0.0005, 0.001));
    }

    [Fact]
    public void Intersection_AllOverlap_NoFalsetickers()
    {
        IntersectionInterval interval = IntersectionAlgorithm.Find([0.0, 0.001, 0.002], [0.002, 0.002, 0.002]);
        Assert.True(interval.Found);
        Assert.Equal(0, interval.Falsetickers);
        Assert.Equal(0.0, interval.Low, 12);
        Assert.Equal(0.002, interval.High, 12);
    }

    [Fact]
    public void Intersection_TwoDisjoint_NoMajority()
    {
        IntersectionInterval interval = IntersectionAlgorithm.Find([0.0, 0.010], [0.001, 0.001]);
        Assert.False(interval.Found);
    }

    [Fact]
    public void Intersection_ThreeDisjoint_NoMajorityNoSurvivors()
    {
        var selector = new ClockSelector();
        SelectionResult result = selector.Select([Server(1, 0.0), Server(2, 0.010), Server(3, 0.020)], Now);
        Assert.False(result.IsSynchronized);
        Assert.Empty(result.Survivors);
        Assert.All(result.Rejected, r => Assert.Equal(RejectionReason.NoMajority, r.Reason));
        Assert.Equal(LeapIndicator.Unsynchronized, result.Leap);
    }

    [Fact]
    public void Intersection_SingleServer_IsSelected()
    {
        SelectionResult result = new ClockSelector().Select([Server(7, 0.003)], Now);
        Assert.Equal(7, result.SystemPeerId);
        Assert.Equal(0.003, result.Offset, 12);
    }

    [Fact]
    public void Select_TrueFlag_NeverAFalseticker()
    {
        var candidates = new[]
        {
            Server(1, 0.0), Server(2, 0.0001), Server(3, -0.0001), Server(4, 0.005) with { AlwaysTrue = true },
        };
        SelectionResult result = new ClockSelector(new SelectionParameters(MinClock: 4)).Select(candidates, Now);
        Assert.Null(result.ReasonFor(4));
        Assert.Contains(result.Survivors, s => s.Id == 4);
    }

    [Fact]
    public void Select_MinSaneTwoWithOneServer_Unsynchronized()
    {
        SelectionResult result = new ClockSelector(new SelectionParameters(MinSane: 2)).Select([Server(1, 0.0)], Now);
        Assert.False(result.IsSynchronized);
        Assert.Equal(RejectionReason.NoMajority, result.ReasonFor(1));
    }

    [Fact]
    public void Select_UnfitCandidates_RejectedWithReasons()
    {
        var candidates = new[]
        {
            Server(1, 0.0),
            Server(2, 0.0) with { NoSelect = true },
            Server(3, 0.0) with { Reachable = false },
            Server(4, 0.0, stratum: 16),
            Server(5, 0.0, leap: LeapIndicator.Unsynchronized),
            Server(6, 0.0) with { RootDispersion = 2.0 },
        };
        SelectionResult result = new ClockSelector().Select(candidates, Now);
        Assert.Equal(1, result.SystemPeerId);
        Assert.Equal(RejectionReason.NoSelect, result.ReasonFor(2));
        Assert.Equal(RejectionReason.Unreachable, result.ReasonFor(3));
        Assert.Equal(RejectionReason.Unsynchronized, result.ReasonFor(4));
        Assert.Equal(RejectionReason.Unsynchronized, result.ReasonFor(5));
        Assert.Equal(RejectionReason.Distance, result.ReasonFor(6));
    }

    [Fact]
    public void Cluster_FiveSurvivors_PrunesTheOutlierDownToMinClock()
    {
        // All intervals overlap (λ = 3 ms), but 4 and 5 sit far from the centre of the others.
        var candidates = new[]
        {
            Server(1, 0.0000, dispersion: 0.0026), Server(2, 0.0001, dispersion: 0.0026), Server(3, -0.0001, dispersion: 0.0026),
            Server(4, 0.0020, dispersion: 0.0026), Server(5, -0.0018, dispersion: 0.0026),
        };
        SelectionResult result = new ClockSelector().Select(candidates, Now);
        Assert.Equal(5, result.Truechimers.Count);
        Assert.Equal(3, result.Survivors.Count);
        Assert.Equal(RejectionReason.Outlier, result.ReasonFor(4));
        Assert.Equal(RejectionReason.Outlier, result.ReasonFor(5));
    }

    [Fact]
    public void Cluster_SelectionJitterBelowPeerJitter_StopsPruning()
    {
        var survivors = new List<SelectionCandidate>
        {
            Server(1, 0.0000, jitter: 0.001), Server(2, 0.0001, jitter: 0.001), Server(3, -0.0001, jitter: 0.001),
            Server(4, 0.0002, jitter: 0.001), Server(5, -0.0002, jitter: 0.001),
        };
        var pruned = new List<SelectionCandidate>();
        ClusterAlgorithm.Prune(survivors, 3, pruned);
        Assert.Empty(pruned);
        Assert.Equal(5, survivors.Count);
    }

    [Fact]
    public void Combine_TwoSurvivors_WeightsByInverseRootDistance()
    {
        var survivors = new[] { Server(1, 0.001), Server(2, 0.004) };
        CombinedOffset combined = CombineAlgorithm.Combine(survivors, [0.001, 0.002], 0);

        // Weights 1000 and 500: (0.001·1000 + 0.004·500) / 1500 = 0.002.
        Assert.Equal(0.002, combined.Offset, 12);
        double selectionJitter = Math.Sqrt((0.003 * 0.003 * 500) / 1500);
        Assert.Equal(selectionJitter, combined.SelectionJitter, 12);
        Assert.Equal(Math.Sqrt((0.0002 * 0.0002) + (selectionJitter * selectionJitter)), combined.Jitter, 12);
    }

    [Fact]
    public void SystemPeer_NoPreference_LowestStratumThenDistance()
    {
        var candidates = new[] { Server(1, 0.0, stratum: 3), Server(2, 0.0001, stratum: 2, dispersion: 0.0009), Server(3, 0.0, stratum: 2) };
        Assert.Equal(3, new ClockSelector().Select(candidates, Now).SystemPeerId);
    }

    [Fact]
    public void SystemPeer_PreferSurvives_PreferWins()
    {
        var candidates = new[] { Server(1, 0.0), Server(2, 0.0001) with { Prefer = true }, Server(3, 0.0) };
        Assert.Equal(2, new ClockSelector().Select(candidates, Now, currentSystemPeerId: 1).SystemPeerId);
    }

    [Fact]
    public void SystemPeer_CurrentStillSurvives_Kept()
    {
        var candidates = new[] { Server(1, 0.0), Server(2, 0.0001, dispersion: 0.0008), Server(3, 0.0) };
        SelectionResult result = new ClockSelector().Select(candidates, Now, currentSystemPeerId: 2);
        Assert.Equal(2, result.SystemPeerId);
        Assert.Equal(SystemPeerChoice.Kept, result.Choice);
    }

    [Fact]
    public void SystemPeer_CurrentClearlyWorse_Hops()
    {
        // λ of 2: 0.0001 + 0.0002 + 0.0035 + 0.0002 = 0.004 s > 2 × 0.001 + mindist 0.001: not kept.
        var far = new[] { Server(1, 0.0), Server(2, 0.0001, dispersion: 0.0035), Server(3, 0.0) };
        SelectionResult result = new ClockSelector().Select(far, Now, currentSystemPeerId: 2);
        Assert.Equal(1, result.SystemPeerId);
        Assert.Equal(SystemPeerChoice.CloserSource, result.Choice);

        var lower = new[] { Server(1, 0.0, stratum: 1), Server(2, 0.0001), Server(3, 0.0) };
        result = new ClockSelector().Select(lower, Now, currentSystemPeerId: 2);
        Assert.Equal(1, result.SystemPeerId);
        Assert.Equal(SystemPeerChoice.LowerStratum, result.Choice);
    }

    [Fact]
    public void Cluster_TheSystemPeerIsNotPrunedAsTheOutlierOfTheMoment_AnotherIs()
    {
        // Four truechimers, minclock 3: one is pruned; 4 sits furthest from the others and would go, but it
        // is the system peer, so the next worst goes instead and 4 stays the system peer.
        var candidates = new[] { Server(1, 0.0, jitter: 0.00001), Server(2, 0.00004), Server(3, -0.00004), Server(4, 0.00009) };
        SelectionResult fresh = new ClockSelector().Select(candidates, Now);
        Assert.Equal(RejectionReason.Outlier, fresh.ReasonFor(4));

        SelectionResult kept = new ClockSelector().Select(candidates, Now, currentSystemPeerId: 4);
        Assert.Equal(4, kept.SystemPeerId);
        Assert.Null(kept.ReasonFor(4));
        Assert.Contains(kept.Rejected, static r => r.Reason == RejectionReason.Outlier && r.Id != 4);
    }

    [Fact]
    public void SystemPeer_FirstAndAfterRejection_BestMeritWithTheReason()
    {
        var candidates = new[] { Server(1, 0.0), Server(2, 0.0001), Server(3, -0.0001), Server(4, 0.005) };
        Assert.Equal(SystemPeerChoice.First, new ClockSelector().Select(candidates, Now).Choice);
        SelectionResult result = new ClockSelector().Select(candidates, Now, currentSystemPeerId: 4);
        Assert.Equal(SystemPeerChoice.PreviousRejected, result.Choice);
        Assert.NotEqual(4, result.SystemPeerId);
    }

    [Fact]
    public void SystemPeer_PreferIsFalseticker_NotChosen()
    {
        var candidates = new[] { Server(1, 0.0), Server(2, 0.0001), Server(3, -0.0001), Server(4, 0.005) with { Prefer = true } };
        SelectionResult result = new ClockSelector().Select(candidates, Now);
        Assert.Equal(RejectionReason.Falseticker, result.ReasonFor(4));
        Assert.NotEqual(4, result.SystemPeerId);
    }

    [Fact]
    public void MaxClock_TooManyCandidates_ExcessRejected()
    {
        var candidates = new List<SelectionCandidate>();
        for (int i = 1; i <= 5; i++)
        {
            candidates.Add(Server(i, 0.0, dispersion: 0.0005 + (i * 0.0001)));
        }

        SelectionResult result = new ClockSelector(new SelectionParameters(MaxClock: 3)).Select(candidates, Now);
        Assert.Equal(RejectionReason.Excess, result.ReasonFor(4));
        Assert.Equal(RejectionReason.Excess, result.ReasonFor(5));
        Assert.Equal(3, result.Survivors.Count);
    }

    [Fact]
    public void Leap_MajorityOfTruechimersInsert_Insert()
    {
        var candidates = new[]
        {
            Server(1, 0.0, leap: LeapIndicator.InsertSecond), Server(2, 0.0, leap: LeapIndicator.InsertSecond), Server(3, 0.0),
        };
        Assert.Equal(LeapIndicator.InsertSecond, new ClockSelector().Select(candidates, Now).Leap);
    }

    [Fact]
    public void Leap_MinorityInsertOrFalsetickerInsert_NoWarning()
    {
        var candidates = new[]
        {
            Server(1, 0.0, leap: LeapIndicator.InsertSecond), Server(2, 0.0), Server(3, 0.0001),
            Server(4, 0.009, leap: LeapIndicator.InsertSecond), Server(5, 0.0091, leap: LeapIndicator.InsertSecond),
        };
        SelectionResult result = new ClockSelector().Select(candidates, Now);
        Assert.Equal(RejectionReason.Falseticker, result.ReasonFor(4));
        Assert.Equal(LeapIndicator.NoWarning, result.Leap);
    }
}
