// NoticeText: the classic log lines in ntpd 4.2.8's exact wording and number formats ("%+.6f", "%.0f"),
// character for character, because users and monitoring grep for them.
namespace Stratum.Engine.Tests;

public class NoticeTextTests
{
    [Fact]
    public void Synchronized_NameAndTheSourcesStratum()
    {
        Assert.Equal("synchronized to 10.0.0.1, stratum 2", NoticeText.Synchronized("10.0.0.1", 2));
        Assert.Equal("synchronized to LOCAL(0), stratum 10", NoticeText.Synchronized("LOCAL(0)", 10));
    }

    [Theory]
    [InlineData(0.315, "time reset +0.315000 s")]
    [InlineData(-0.315, "time reset -0.315000 s")]
    [InlineData(30.0000004, "time reset +30.000000 s")]
    [InlineData(-1200.5, "time reset -1200.500000 s")]
    [InlineData(0.0000004, "time reset +0.000000 s")]
    [InlineData(-0.0000004, "time reset -0.000000 s")]
    public void TimeReset_SignAlwaysShown_SixDecimals(double step, string expected) =>
        Assert.Equal(expected, NoticeText.TimeReset(step));

    [Theory]
    [InlineData(600e-6, "frequency error 600 PPM exceeds tolerance 500 PPM")]
    [InlineData(-600e-6, "frequency error -600 PPM exceeds tolerance 500 PPM")]
    [InlineData(512.4e-6, "frequency error 512 PPM exceeds tolerance 500 PPM")]
    [InlineData(-1234.6e-6, "frequency error -1235 PPM exceeds tolerance 500 PPM")]
    public void FrequencyError_SignedWholePpm(double wanted, string expected) =>
        Assert.Equal(expected, NoticeText.FrequencyError(wanted, 500e-6));

    [Fact]
    public void NoServersReachable_ClassicWording() =>
        Assert.Equal("no servers reachable", NoticeText.NoServersReachable);
}
