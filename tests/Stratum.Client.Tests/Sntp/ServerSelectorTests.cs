// ntpdate's server selection: sanity checks with their verdicts, lowest stratum first, lowest delay
// within a stratum, the two-strata cut, and falseticker removal.
using Stratum.Client.Sntp;
using Stratum.Core.Time;
using Stratum.Core.Wire;

namespace Stratum.Client.Tests.Sntp;

public class ServerSelectorTests
{
    private static readonly NtpTimestamp s_now = NtpTimestamp.FromParts(3_909_714_000, 0);

    private static SelectionCandidate Candidate(
        byte stratum,
        double offset = 0.0,
        double delay = 0.030,
        LeapIndicator leap = LeapIndicator.NoWarning,
        double referenceAge = 64,
        bool hasData = true,
        sbyte precision = -20,
        double dispersion = 0.0)
    {
        var filter = hasData
            ? new FilterResult(true, NtpDuration.FromSeconds(offset), NtpDuration.FromSeconds(delay), dispersion)
            : FilterResult.Empty;
        return new SelectionCandidate(stratum, leap, precision, filter, s_now, s_now - NtpDuration.FromSeconds(referenceAge));
    }

    private static (int Chosen, SelectionVerdict[] Verdicts) Select(params SelectionCandidate[] candidates)
    {
        var verdicts = new SelectionVerdict[candidates.Length];
        int chosen = ServerSelector.Select(candidates, verdicts);
        return (chosen, verdicts);
    }

    [Fact]
    public void Select_OneGoodServer_IsChosen()
    {
        var (chosen, verdicts) = Select(Candidate(2));

        Assert.Equal(0, chosen);
        Assert.Equal(SelectionVerdict.Chosen, verdicts[0]);
    }

    [Fact]
    public void Select_LowerStratumWins_EvenWithLargerDelay()
    {
        var (chosen, _) = Select(Candidate(3, delay: 0.021), Candidate(2, delay: 0.080), Candidate(4, delay: 0.020));

        Assert.Equal(1, chosen);
    }

    [Fact]
    public void Select_SameStratum_LowestDelayWins()
    {
        var (chosen, _) = Select(Candidate(2, offset: 0.001, delay: 0.050), Candidate(2, offset: 0.002, delay: 0.025), Candidate(2, offset: 0.0015, delay: 0.040));

        Assert.Equal(1, chosen);
    }

    [Theory]
    [InlineData(0, SelectionVerdict.NoData)]
    [InlineData(16, SelectionVerdict.StratumTooHigh)]
    public void Select_UnusableStratum_IsDropped(byte stratum, SelectionVerdict expected)
    {
        var (chosen, verdicts) = Select(Candidate(stratum));

        Assert.Equal(-1, chosen);
        Assert.Equal(expected, verdicts[0]);
    }

    [Fact]
    public void Select_UnsynchronizedServer_IsDroppedForTheSynchronizedOne()
    {
        var (chosen, verdicts) = Select(Candidate(1, leap: LeapIndicator.Unsynchronized), Candidate(3));

        Assert.Equal(1, chosen);
        Assert.Equal(SelectionVerdict.LeapNotInSync, verdicts[0]);
    }

    [Fact]
    public void Select_NoUsableSample_IsNoData()
    {
        var (chosen, verdicts) = Select(Candidate(2, hasData: false));

        Assert.Equal(-1, chosen);
        Assert.Equal(SelectionVerdict.NoData, verdicts[0]);
    }

    [Fact]
    public void Select_DelayOverEightSeconds_IsTooFarAway()
    {
        var (_, verdicts) = Select(Candidate(2, delay: 8.5));

        Assert.Equal(SelectionVerdict.TooFarAway, verdicts[0]);
    }

    [Fact]
    public void Select_ReferenceTimeAfterTransmitTime_IsVeryBroken()
    {
        var (_, verdicts) = Select(Candidate(2, referenceAge: -10));

        Assert.Equal(SelectionVerdict.VeryBroken, verdicts[0]);
    }

    [Fact]
    public void Select_ZeroReferenceTime_IsTooLongWithoutSync_NotVeryBroken()
    {
        // ntpdate's unsigned comparisons: org > 0, and org - 0 is far beyond NTP_MAXAGE.
        SelectionCandidate neverSynchronized = Candidate(1) with { ReferenceTime = NtpTimestamp.Zero };
        var (_, verdicts) = Select(neverSynchronized);

        Assert.Equal(SelectionVerdict.TooLongWithoutSync, verdicts[0]);
    }

    [Fact]
    public void Select_ReferenceTimeADayOld_IsTooLongWithoutSync()
    {
        var (_, verdicts) = Select(Candidate(2, referenceAge: 86_400));

        Assert.Equal(SelectionVerdict.TooLongWithoutSync, verdicts[0]);
    }

    [Fact]
    public void Select_ThirdStratum_IsCutFromTheList()
    {
        var (chosen, verdicts) = Select(Candidate(1), Candidate(2), Candidate(3));

        Assert.Equal(0, chosen);
        Assert.Equal(SelectionVerdict.NotInBestList, verdicts[2]);
    }

    [Fact]
    public void Select_OnlyFiveBestKept()
    {
        var candidates = new SelectionCandidate[6];
        for (int i = 0; i < candidates.Length; i++)
        {
            candidates[i] = Candidate(2, dispersion: i * 0.001);
        }

        var (_, verdicts) = Select(candidates);

        Assert.Equal(SelectionVerdict.NotInBestList, verdicts[5]);
    }

    [Fact]
    public void Select_FastestServerDisagreesWithTheRest_IsDroppedAsFalseticker()
    {
        // Same stratum; the fastest is 1 s off while three others agree within a millisecond.
        var (chosen, verdicts) = Select(
            Candidate(2, offset: 1.0, delay: 0.021),
            Candidate(2, offset: 0.0010, delay: 0.030),
            Candidate(2, offset: 0.0012, delay: 0.031),
            Candidate(2, offset: 0.0009, delay: 0.032));

        Assert.Equal(SelectionVerdict.Falseticker, verdicts[0]);
        Assert.Equal(1, chosen);
    }

    [Fact]
    public void Select_ServersAgreeWithinThreshold_KeepsFastest()
    {
        var (chosen, verdicts) = Select(Candidate(2, offset: 0.002, delay: 0.021), Candidate(2, offset: 0.001, delay: 0.030));

        Assert.Equal(0, chosen);
        Assert.Equal(SelectionVerdict.Candidate, verdicts[1]);
    }

    [Fact]
    public void Select_Nothing_ReturnsMinusOne()
    {
        var (chosen, _) = Select();

        Assert.Equal(-1, chosen);
    }
}
