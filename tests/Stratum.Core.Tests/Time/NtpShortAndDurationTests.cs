// Conversions of the 16.16 short format and the signed 32.32 duration (RFC 5905 §6).
using CsCheck;
using Stratum.Core.Time;

namespace Stratum.Core.Tests.Time;

public class NtpShortAndDurationTests
{
    [Theory]
    [InlineData(0.0, 0u)]
    [InlineData(-1.0, 0u)]
    [InlineData(1.0, 0x0001_0000u)]
    [InlineData(0.5, 0x0000_8000u)]
    [InlineData(1e-9, 1u)]
    [InlineData(1e9, uint.MaxValue)]
    public void NtpShort_FromSeconds_RoundsUpAndSaturates(double seconds, uint raw)
    {
        Assert.Equal(raw, NtpShort.FromSeconds(seconds).Raw);
    }

    [Fact]
    public void NtpDuration_FromSeconds_RoundTripsWithinResolution()
    {
        Gen.Double[-1e6, 1e6].Sample(s => Math.Abs(NtpDuration.FromSeconds(s).TotalSeconds - s) < 1e-9);
    }

    [Fact]
    public void NtpDuration_FromNanoseconds_NegativeValues()
    {
        Assert.Equal(-1.5, NtpDuration.FromNanoseconds(-1_500_000_000).TotalSeconds);
        Assert.Equal(-1_500_000_000, NtpDuration.FromNanoseconds(-1_500_000_000).TotalNanoseconds);
    }

    [Fact]
    public void PollExponent_Seconds_IsPowerOfTwo()
    {
        Assert.Equal(64.0, new PollExponent(6).Seconds);
        Assert.Equal(1.0 / 1024 / 1024, new PollExponent(-20).Seconds);
    }
}
