// ntpdate's per-server filter: the delay budget added to each sample (so loopback prints about
// 0.026 s), empty slots for lost replies, and the choice of the lowest-delay sample.
using Stratum.Client.Sntp;
using Stratum.Core.Time;

namespace Stratum.Client.Tests.Sntp;

public class SampleFilterTests
{
    private static readonly NtpTimestamp s_t1 = NtpTimestamp.FromParts(3_909_714_000, 0);

    /// <summary>An exchange with the given offset and round trip, server processing time zero.</summary>
    internal static ExchangeTimestamps Exchange(double offsetSeconds, double delaySeconds)
    {
        var half = NtpDuration.FromSeconds(delaySeconds / 2);
        var t2 = s_t1 + half + NtpDuration.FromSeconds(offsetSeconds);
        var t4 = s_t1 + half + half;
        return new ExchangeTimestamps(s_t1, t2, t2, t4);
    }

    internal static FilterSample Sample(double offsetSeconds, double delaySeconds) =>
        SampleFilter.CreateSample(Exchange(offsetSeconds, delaySeconds), -20)!.Value;

    [Fact]
    public void CreateSample_LoopbackDelay_AddsNtpdateBudget()
    {
        // 0.0004 s truncates to 26/65536; + 2^-6 (1024) + 2^-20 (0) + skew 0x28f (655) = 1705.
        var sample = SampleFilter.CreateSample(Exchange(0.000012, 0.0004), serverPrecision: -20);

        Assert.NotNull(sample);
        Assert.Equal(1705L << 16, sample.Value.Delay.Raw);
        Assert.Equal(0.000012, sample.Value.Offset.TotalSeconds, 9);
    }

    [Fact]
    public void CreateSample_CoarseServerPrecision_AddsItToTheBudget()
    {
        // Precision 2^-10 adds 64/65536.
        var sample = SampleFilter.CreateSample(Exchange(0, 0.0004), serverPrecision: -10);

        Assert.Equal((1705L + 64) << 16, sample!.Value.Delay.Raw);
    }

    [Fact]
    public void CreateSample_NegativeMeasuredDelay_ClampsToMinimumDistance()
    {
        // -0.01 s: -656 + 1679 = 1023, below 0x51f, so 0x51f.
        var sample = SampleFilter.CreateSample(Exchange(0, -0.01), serverPrecision: -20);

        Assert.Equal(SampleFilter.MinimumDelay, sample!.Value.Delay);
    }

    [Fact]
    public void CreateSample_DelayBudgetNotPositive_IsUnusable()
    {
        Assert.Null(SampleFilter.CreateSample(Exchange(0, -0.05), serverPrecision: -20));
    }

    [Fact]
    public void Filter_PicksLowestDelaySample()
    {
        FilterSample?[] samples = [Sample(0.010, 0.030), Sample(0.002, 0.004), null, Sample(0.005, 0.020)];

        var result = SampleFilter.Filter(samples, 4);

        Assert.True(result.HasData);
        Assert.Equal(samples[1]!.Value.Offset, result.Offset);
        Assert.Equal(samples[1]!.Value.Delay, result.Delay);
    }

    [Fact]
    public void Filter_Dispersion_HalvesPerRankAndChargesEmptySlots()
    {
        // Ranks by delay: 0.000 (best), 0.001 away, 0.004 away, then the empty slot (64 s).
        FilterSample?[] samples = [null, Sample(0.004, 0.030), Sample(0.0, 0.002), Sample(0.001, 0.010)];

        var result = SampleFilter.Filter(samples, 4);

        double best = SampleFilter.ShortFixedSeconds(samples[2]!.Value.Offset);
        double expected = ((SampleFilter.ShortFixedSeconds(samples[3]!.Value.Offset) - best) / 2)
            + ((SampleFilter.ShortFixedSeconds(samples[1]!.Value.Offset) - best) / 4)
            + (64.0 / 8);
        Assert.Equal(expected, result.Dispersion, 9);
    }

    [Fact]
    public void Filter_SlotsNotYetFilled_CountAsEmpty()
    {
        var result = SampleFilter.Filter([Sample(0.001, 0.002)], 2);

        Assert.Equal(32.0, result.Dispersion);
    }

    [Fact]
    public void Filter_AllEmpty_HasNoData()
    {
        var result = SampleFilter.Filter([null, null], 4);

        Assert.Equal(FilterResult.Empty, result);
    }
}
