// libntp-compatible number text: lfptoa (explicit sign), fptoa and ufptoa, including rounding on
// the first unprinted bit and the carry into the integer part.
using Stratum.Client.Display;
using Stratum.Core.Time;

namespace Stratum.Client.Tests.Display;

public class FixedPointTextTests
{
    [Theory]
    [InlineData(0.000012, "+0.000012")]
    [InlineData(-0.000012, "-0.000012")]
    [InlineData(0.0, "+0.000000")]
    [InlineData(2.5, "+2.500000")]
    [InlineData(-1234.5678901, "-1234.567890")]
    [InlineData(0.9999996, "+1.000000")]
    public void SignedSeconds_SixDecimals_MatchesLfptoa(double seconds, string expected) =>
        Assert.Equal(expected, FixedPointText.SignedSeconds(NtpDuration.FromSeconds(seconds), 6));

    [Fact]
    public void SignedSeconds_HalfUnitExactly_RoundsUp()
    {
        // 0.0000005 s is not exact in binary; use 2^-1 of the 6th decimal: 5e-7 rounds to 1e-6 when >= half.
        var justOverHalf = new NtpDuration((long)Math.Ceiling(0.0000005 * 4294967296.0));
        Assert.Equal("+0.000001", FixedPointText.SignedSeconds(justOverHalf, 6));
    }

    [Theory]
    [InlineData(1705, "0.02602")]
    [InlineData(0x51f, "0.02000")]
    [InlineData(0, "0.00000")]
    [InlineData(-655, "-0.00999")]
    [InlineData(65536 * 3, "3.00000")]
    public void ShortSigned_FiveDecimals_MatchesFptoa(int raw, string expected) =>
        Assert.Equal(expected, FixedPointText.ShortSigned(raw, 5));

    [Fact]
    public void ShortUnsigned_RootDispersion_MatchesUfptoa() =>
        Assert.Equal("0.015625", FixedPointText.ShortUnsigned(1024, 6));

    [Fact]
    public void ShortSigned_Duration_TruncatesTo16Bits()
    {
        // 0.0004 s is 26.2 units of 2^-16: ntpdate keeps 26.
        Assert.Equal("0.00040", FixedPointText.ShortSigned(NtpDuration.FromSeconds(0.0004), 5));
        Assert.Equal(FixedPointText.ShortSigned(26, 5), FixedPointText.ShortSigned(NtpDuration.FromSeconds(0.0004), 5));
    }
}
