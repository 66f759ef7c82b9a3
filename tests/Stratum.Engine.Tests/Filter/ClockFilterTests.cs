// ClockFilter: RFC 5905 §10 shift register: least-delay choice, PHI aging, weighted dispersion, jitter,
// time ordering (a sample used once, never an older one), correction of stored offsets, popcorn option.
using Stratum.Engine.Discipline;
using Stratum.Engine.Filter;

namespace Stratum.Engine.Tests.Filter;

public class ClockFilterTests
{
    private const double Precision = 1e-6;

    [Fact]
    public void Filter_FirstSample_IsChosenWithPrecisionJitter()
    {
        var filter = new ClockFilter(Precision);
        ClockFilterResult result = filter.Add(new ClockFilterSample(0.002, 0.010, 0.001, 100));
        Assert.Equal(ClockFilterOutcome.NewSample, result.Outcome);
        Assert.Equal(0.002, result.Offset);
        Assert.Equal(0.010, result.Delay);
        Assert.Equal(Precision, result.Jitter);
        Assert.Equal(100, result.Time);

        // ε = 0.001/2 + 7 empty stages × 16 s / 2^(i+1).
        double expected = 0.0005;
        for (int i = 1; i < ClockFilter.Stages; i++)
        {
            expected += ClockFilter.MaxDispersion / Math.Pow(2, i + 1);
        }

        Assert.Equal(expected, result.Dispersion, 12);
    }

    [Fact]
    public void Filter_SeveralSamples_PicksLeastDelay()
    {
        var filter = new ClockFilter(Precision);
        filter.Add(new ClockFilterSample(0.005, 0.030, 0.0001, 0));
        filter.Add(new ClockFilterSample(0.001, 0.010, 0.0001, 64));
        ClockFilterResult result = filter.Add(new ClockFilterSample(0.009, 0.050, 0.0001, 128));
        Assert.Equal(0.001, result.Offset);
        Assert.Equal(0.010, result.Delay);
        Assert.Equal(64, result.Time);
    }

    [Fact]
    public void Filter_OlderStages_DispersionAgesAtPhi()
    {
        var filter = new ClockFilter(Precision);
        filter.Add(new ClockFilterSample(0, 0.010, 0.001, 0));
        filter.Add(new ClockFilterSample(0, 0.020, 0.001, 1000));
        ReadOnlySpan<ClockFilterSample> register = filter.Register;
        Assert.Equal(0.001, register[0].Dispersion, 12);
        Assert.Equal(0.001 + (15e-6 * 1000), register[1].Dispersion, 12);
        Assert.Equal(1000, filter.LastUpdateTime);
    }

    [Fact]
    public void Filter_Jitter_IsRmsOfOffsetDifferencesToChosen()
    {
        var filter = new ClockFilter(Precision);
        filter.Add(new ClockFilterSample(0.000, 0.010, 0, 0));
        filter.Add(new ClockFilterSample(0.003, 0.020, 0, 1));
        ClockFilterResult result = filter.Add(new ClockFilterSample(-0.004, 0.030, 0, 2));

        // Differences to the least-delay sample: 0.003 and −0.004 → sqrt((9 + 16)e-6 / 2).
        Assert.Equal(Math.Sqrt(25e-6 / 2), result.Jitter, 12);
    }

    [Fact]
    public void Filter_LeastDelaySampleAlreadyUsed_IsStale()
    {
        var filter = new ClockFilter(Precision);
        Assert.True(filter.Add(new ClockFilterSample(0.001, 0.010, 0, 0)).IsNew);
        ClockFilterResult second = filter.Add(new ClockFilterSample(0.002, 0.020, 0, 64));
        Assert.Equal(ClockFilterOutcome.StaleSample, second.Outcome);
        Assert.Equal(0.001, second.Offset);

        // The new sample with least delay is used again.
        Assert.True(filter.Add(new ClockFilterSample(0.003, 0.005, 0, 128)).IsNew);

        // Once the register holds a newer used sample, an older least-delay one is never used.
        Assert.False(filter.Add(new ClockFilterSample(0.003, 0.006, 0, 192)).IsNew);
    }

    [Fact]
    public void Filter_EightNewerSamples_PushOutTheOldMinimum()
    {
        var filter = new ClockFilter(Precision);
        filter.Add(new ClockFilterSample(0.2, 0.001, 0, 0));
        ClockFilterResult result = default;
        for (int i = 1; i <= ClockFilter.Stages; i++)
        {
            result = filter.Add(new ClockFilterSample(0.2, 0.010 + (i * 0.001), 0, i * 64));
        }

        Assert.Equal(0.2, result.Offset, 12);
        Assert.Equal(0.011, result.Delay, 12);
    }

    [Fact]
    public void Filter_OneSidedQueueing_OffsetsCorrectedByTheEstimatedAsymmetry()
    {
        // Queueing on the way out only: a sample delayed x more reads x/2 more offset. True offset 1 ms.
        var random = new Random(7);
        var filter = new ClockFilter(Precision);
        ClockFilterResult result = default;
        for (int i = 0; i < 32; i++)
        {
            double extra = -Math.Log(1 - random.NextDouble()) * 500e-6;
            result = filter.Add(new ClockFilterSample(0.001 + (extra / 2), 200e-6 + extra, 0, i * 64));
        }

        // Uncorrected, the latest sample would read about 1.25 ms on average.
        Assert.InRange(result.AsymmetrySlope, 0.45, 0.5);
        Assert.InRange(result.Latest.Offset, 0.00099, 0.00101);
        Assert.InRange(result.Offset, 0.00099, 0.00101);
    }

    [Fact]
    public void Filter_SymmetricQueueing_NoAsymmetryCorrection()
    {
        var random = new Random(11);
        var filter = new ClockFilter(Precision);
        ClockFilterResult result = default;
        double worst = 0;
        for (int i = 0; i < 200; i++)
        {
            double up = -Math.Log(1 - random.NextDouble()) * 100e-6;
            double down = -Math.Log(1 - random.NextDouble()) * 100e-6;
            result = filter.Add(new ClockFilterSample((up - down) / 2, 200e-6 + up + down, 0, i * 64));
            worst = Math.Max(worst, Math.Abs(result.AsymmetrySlope));
        }

        Assert.True(worst < 0.25, $"slope reached {worst}");
    }

    [Fact]
    public void Filter_AsymmetryCorrection_NeverMovesASampleBeyondItsOwnErrorBound()
    {
        // A jump in offset that coincides with longer delays looks like asymmetry; the correction is still
        // at most half the extra delay, the sample's own error bound.
        var filter = new ClockFilter(Precision);
        filter.Add(new ClockFilterSample(0.1, 0.001, 0, 0));
        ClockFilterResult result = default;
        for (int i = 1; i <= 12; i++)
        {
            result = filter.Add(new ClockFilterSample(0.2, 0.010 + (i * 0.001), 0, i * 64));
        }

        double bound = (result.Latest.Delay - result.MinimumDelay) / 2;
        Assert.InRange(result.Latest.Offset, 0.2 - bound, 0.2);
    }

    [Fact]
    public void Filter_Reset_EmptiesTheRegister()
    {
        var filter = new ClockFilter(Precision);
        filter.Add(new ClockFilterSample(0.1, 0.001, 0, 0));
        filter.Reset();
        Assert.Equal(0, filter.ValidCount);
        ClockFilterResult result = filter.Add(new ClockFilterSample(0.2, 0.010, 0, 1));
        Assert.True(result.IsNew);
        Assert.Equal(0.2, result.Offset);
        Assert.Equal(1, filter.ValidCount);
    }

    [Fact]
    public void Filter_Correct_RemovesOurSlewFromTheJitter()
    {
        var filter = new ClockFilter(Precision);
        filter.Add(new ClockFilterSample(0.100, 0.010, 0, 0));

        // The discipline slewed the 0.1 s away; the next sample agrees with the corrected clock.
        filter.Correct(0, 0.100, 0);
        Assert.Equal(0.000, filter.Last.Offset, 12); // the chosen sample, referred to the corrected clock
        ClockFilterResult result = filter.Add(new ClockFilterSample(0.000, 0.012, 0, 2));
        Assert.Equal(Precision, result.Jitter);
        Assert.Equal(0.000, result.Offset, 12); // still the 10 ms-delay sample, corrected
        Assert.Equal(0.010, result.Delay);
    }

    [Fact]
    public void Filter_Correct_FrequencyChangeRefersOlderSamplesToTheNewRate()
    {
        var filter = new ClockFilter(Precision);
        filter.Add(new ClockFilterSample(0.001, 0.010, 0, 0));
        // At t = 100 the clock was made 10 ppm faster: had it run so since t = 0, it would be 1 ms further ahead.
        filter.Correct(100, 0, 10e-6);
        Assert.Equal(0.002, filter.Last.Offset, 12);
    }

    [Fact]
    public void Filter_LatestNoise_GrowsWithExtraDelay()
    {
        var filter = new ClockFilter(Precision);
        filter.Add(new ClockFilterSample(0, 0.000200, 0, 0));
        ClockFilterResult quick = filter.Add(new ClockFilterSample(0, 0.000200, 0, 64));
        ClockFilterResult slow = filter.Add(new ClockFilterSample(0, 0.000800, 0, 128));
        Assert.Equal(0.000200, slow.MinimumDelay);
        Assert.Equal(0.000800, slow.Latest.Delay);
        Assert.True(slow.LatestNoise > quick.LatestNoise);
        // Extra delay 600 µs, and the floor (200 µs, mean 400 µs over 3 samples) may sit 67 µs high: the error
        // lies within ±333 µs, its scale 0.35 of 667 µs.
        double gap = (0.000400 - 0.000200) / 3;
        Assert.Equal(gap, slow.FloorUncertainty, 9);
        Assert.Equal((0.000600 + gap) * 0.35, slow.LatestNoise, 9);
    }

    [Fact]
    public void Filter_LatestBound_IsHalfTheExtraDelay_OnceTheFloorIsKnown()
    {
        var filter = new ClockFilter(Precision);
        ClockFilterResult result = default;
        for (int i = 0; i < 7; i++)
        {
            result = filter.Add(new ClockFilterSample(0, 0.000200, 0, i * 64));
        }

        // Seven delays: too few to trust the floor.
        Assert.False(result.LatestBound.IsBounded);
        result = filter.Add(new ClockFilterSample(0.000050, 0.000400, 0, 7 * 64));
        Assert.Equal(8, result.FloorSamples);
        OffsetBound bound = result.LatestBound;
        Assert.True(bound.IsBounded);

        // Extra delay 200 µs; the floor (200 µs, mean 225 µs over 8 samples) may sit 25/8 µs high, counted
        // twice; 4 µs of margin.
        double floorUncertainty = (0.000225 - 0.000200) / 8;
        Assert.Equal(floorUncertainty, result.FloorUncertainty, 12);
        Assert.Equal(((0.000200 + (2 * floorUncertainty)) / 2) + 4e-6, bound.HalfWidth, 12);
        Assert.Equal(0.000050, result.LatestMeasuredOffset, 12);
        Assert.Equal(result.Jitter / 16, result.LatestFloorNoise, 15);
    }

    [Fact]
    public void Filter_FloorUncertainty_HalfTheDelayAlone_ShrinksAsTheDelayHistoryGrows()
    {
        var filter = new ClockFilter(Precision);
        ClockFilterResult first = filter.Add(new ClockFilterSample(0, 0.000300, 0, 0));
        Assert.Equal(0.000150, first.FloorUncertainty, 9);
        ClockFilterResult last = first;
        for (int i = 1; i < 32; i++)
        {
            last = filter.Add(new ClockFilterSample(0, i % 2 == 0 ? 0.000300 : 0.000200, 0, i * 64));
        }

        // 32 samples, mean 250 µs, floor 200 µs: (250 − 200)/32.
        Assert.Equal(0.000050 / 32, last.FloorUncertainty, 9);
    }

    [Fact]
    public void Filter_PopcornSuppressorOn_RejectsOneSpikeThenAcceptsAJump()
    {
        var filter = new ClockFilter(Precision, popcornSuppressor: true);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(filter.Add(new ClockFilterSample(i % 2 == 0 ? 0.0001 : -0.0001, 0.010 - (i * 0.001), 0, i * 64)).IsNew);
        }

        ClockFilterResult spike = filter.Add(new ClockFilterSample(0.0500, 0.005, 0, 256));
        Assert.Equal(ClockFilterOutcome.PopcornSpike, spike.Outcome);
        Assert.Equal(-0.0001, spike.Offset);

        ClockFilterResult jump = filter.Add(new ClockFilterSample(0.0500, 0.004, 0, 320));
        Assert.True(jump.IsNew);
        Assert.Equal(0.0500, jump.Offset);
    }

    [Fact]
    public void Filter_PopcornSuppressorOff_TakesSpike()
    {
        var filter = new ClockFilter(Precision);
        filter.Add(new ClockFilterSample(0.0000, 0.010, 0, 0));
        filter.Add(new ClockFilterSample(0.0001, 0.009, 0, 64));
        ClockFilterResult spike = filter.Add(new ClockFilterSample(0.0500, 0.008, 0, 128));
        Assert.True(spike.IsNew);
        Assert.Equal(0.0500, spike.Offset);
    }
}
