// The embedded default must parse cleanly and must be harmless: local clock only, never
// disciplining the system clock, loopback-only interfaces.
using Stratum.Core.Config;

namespace Stratum.Core.Tests.Config;

public class EmbeddedDefaultsTests
{
    [Fact]
    public void Parse_EmbeddedDefaults_HasNoDiagnostics()
    {
        ConfigParseResult result = ConfigParser.Parse(EmbeddedDefaults.Text, EmbeddedDefaults.FileName);

        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Parse_EmbeddedDefaults_ObservesOnlyWithLocalClock()
    {
        NtpConfig config = ConfigParser.Parse(EmbeddedDefaults.Text, EmbeddedDefaults.FileName).Config;

        Assert.False(config.System.ClockDiscipline);
        Assert.Empty(config.Associations);
        RefClockConfig clock = Assert.Single(config.RefClocks);
        Assert.True(clock.IsLocalClock);
        Assert.Equal((byte?)10, clock.Stratum);
        Assert.Equal(3, config.InterfaceRules.Count);
        // No restrict lines until access control is enforced: loopback-only listening limits access.
        Assert.Empty(config.Restrictions);
    }
}
