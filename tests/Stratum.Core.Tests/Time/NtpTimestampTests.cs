// Properties and edge cases of the 64-bit NTP timestamp: Unix round trips, the 2036 era boundary,
// signed differences across the boundary (RFC 5905 §6).
using CsCheck;
using Stratum.Core.Time;

namespace Stratum.Core.Tests.Time;

public class NtpTimestampTests
{
    private const long NanosPerSecond = 1_000_000_000;

    // 2036-02-07T06:28:16Z: NTP era 0 ends, era 1 starts.
    private const long Era1StartUnixSeconds = (1L << 32) - NtpTimestamp.UnixEpochInNtpSeconds;

    [Fact]
    public void FromUnixNanoseconds_UnixEpoch_IsSeconds2208988800()
    {
        var ts = NtpTimestamp.FromUnixNanoseconds(0);
        Assert.Equal(2_208_988_800u, ts.Seconds);
        Assert.Equal(0u, ts.Fraction);
    }

    [Fact]
    public void FromUnixNanoseconds_HalfSecond_FractionIsTwoToThe31()
    {
        var ts = NtpTimestamp.FromUnixNanoseconds(500_000_000);
        Assert.Equal(0x8000_0000u, ts.Fraction);
    }

    [Fact]
    public void FromUnixNanoseconds_Era1Start_WrapsToZeroSeconds()
    {
        var ts = NtpTimestamp.FromUnixNanoseconds(Era1StartUnixSeconds * NanosPerSecond);
        Assert.Equal(0u, ts.Seconds);
        Assert.Equal(Era1StartUnixSeconds * NanosPerSecond, ts.ToUnixNanoseconds(Era1StartUnixSeconds * NanosPerSecond));
    }

    [Fact]
    public void ToUnixNanoseconds_JustAfterRolloverWithPivotBefore_ReadsAs2036()
    {
        long before = (Era1StartUnixSeconds - 10) * NanosPerSecond;
        var after = NtpTimestamp.FromUnixNanoseconds((Era1StartUnixSeconds + 5) * NanosPerSecond);
        Assert.Equal((Era1StartUnixSeconds + 5) * NanosPerSecond, after.ToUnixNanoseconds(before));
    }

    [Fact]
    public void ToUnixNanoseconds_Rfc4330Rule_MsbClearIsEra1()
    {
        var ts = NtpTimestamp.FromParts(5, 0);
        Assert.Equal((Era1StartUnixSeconds + 5) * NanosPerSecond, ts.ToUnixNanoseconds());
        var ts2 = NtpTimestamp.FromUnixNanoseconds(1_795_000_000L * NanosPerSecond);
        Assert.Equal(1_795_000_000L * NanosPerSecond, ts2.ToUnixNanoseconds());
    }

    [Fact]
    public void Subtract_AcrossEraBoundary_IsSmallPositive()
    {
        var before = NtpTimestamp.FromParts(uint.MaxValue, 0x8000_0000);
        var after = NtpTimestamp.FromParts(0, 0x8000_0000);
        Assert.Equal(1.0, (after - before).TotalSeconds);
        Assert.True(after > before);
    }

    [Fact]
    public void RoundTrip_AnyNanosecondNearPivot_IsExact()
    {
        // Any instant within ±60 years of a pivot between 1970 and 2100 converts back exactly.
        Gen.Select(Gen.Long[0, 4_102_444_800L * NanosPerSecond], Gen.Long[-60L * 365 * 86400 * NanosPerSecond, 60L * 365 * 86400 * NanosPerSecond])
            .Sample((pivot, delta) =>
            {
                long t = pivot + delta;
                return NtpTimestamp.FromUnixNanoseconds(t).ToUnixNanoseconds(pivot) == t;
            }, iter: 20_000);
    }

    [Fact]
    public void Subtract_AnyTwoInstantsWithin68Years_MatchesNanosecondDifference()
    {
        Gen.Select(Gen.Long[0, 4_102_444_800L * NanosPerSecond], Gen.Long[-(1L << 31) * NanosPerSecond / 2, (1L << 31) * NanosPerSecond / 2])
            .Sample((a, delta) =>
            {
                var ta = NtpTimestamp.FromUnixNanoseconds(a);
                var tb = NtpTimestamp.FromUnixNanoseconds(a + delta);
                long diff = (tb - ta).TotalNanoseconds;
                return Math.Abs(diff - delta) <= 1;
            }, iter: 20_000);
    }

    [Fact]
    public void ToHexString_FormatsAsNtpq()
    {
        Assert.Equal("eeadf1fc.313a00d9", NtpTimestamp.FromParts(0xeeadf1fc, 0x313a00d9).ToHexString());
    }
}
