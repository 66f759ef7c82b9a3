// ntpd's interface rule evaluation (ntp_io.c interface_action): the last matching line wins,
// "all" skips loopback and wildcard, and unmatched addresses fall back to ntpd's defaults.
using System.Net;
using Stratum.Core.Config;

namespace Stratum.Core.Tests.Config;

public class InterfaceRulesTests
{
    private static readonly IPAddress s_lanAddress = IPAddress.Parse("192.168.1.10");

    [Fact]
    public void Evaluate_TwoMatchingRules_LastOneWins()
    {
        InterfaceRules listenLast = Rules("interface ignore all\ninterface listen eth0");
        InterfaceRules ignoreLast = Rules("interface listen eth0\ninterface ignore all");

        Assert.Equal(InterfaceAction.Listen, listenLast.Evaluate(s_lanAddress, "eth0", false));
        Assert.Equal(InterfaceAction.Ignore, listenLast.Evaluate(s_lanAddress, "eth1", false));
        Assert.Equal(InterfaceAction.Ignore, ignoreLast.Evaluate(s_lanAddress, "eth0", false));
    }

    [Fact]
    public void Evaluate_NestedNetworks_LastMatchingPrefixWins()
    {
        InterfaceRules rules = Rules("interface listen 10.0.0.0/8\ninterface drop 10.1.0.0/16");

        Assert.Equal(InterfaceAction.Drop, rules.Evaluate(IPAddress.Parse("10.1.2.3"), "eth0", false));
        Assert.Equal(InterfaceAction.Listen, rules.Evaluate(IPAddress.Parse("10.2.3.4"), "eth0", false));
    }

    [Fact]
    public void Evaluate_NoRules_ListensExceptWildcardDrops()
    {
        InterfaceRules rules = InterfaceRules.None;

        Assert.Equal(InterfaceAction.Listen, rules.Evaluate(s_lanAddress, "eth0", false));
        Assert.Equal(InterfaceAction.Listen, rules.Evaluate(IPAddress.Loopback, "lo", false));
        Assert.Equal(InterfaceAction.Drop, rules.Evaluate(IPAddress.Any, "", true));
    }

    [Fact]
    public void Evaluate_RulesWithoutMatch_IgnoresButKeepsLoopback()
    {
        InterfaceRules rules = Rules("interface listen eth0");

        Assert.Equal(InterfaceAction.Ignore, rules.Evaluate(s_lanAddress, "eth1", false));
        Assert.Equal(InterfaceAction.Listen, rules.Evaluate(IPAddress.IPv6Loopback, "lo", false));
        Assert.Equal(InterfaceAction.Drop, rules.Evaluate(IPAddress.IPv6Any, "", true));
    }

    [Fact]
    public void Evaluate_All_SkipsLoopbackAndWildcard()
    {
        InterfaceRules listenAll = Rules("interface listen all");
        InterfaceRules ignoreAll = Rules("interface ignore all");

        Assert.Equal(InterfaceAction.Listen, listenAll.Evaluate(s_lanAddress, "eth0", false));
        Assert.Equal(InterfaceAction.Drop, listenAll.Evaluate(IPAddress.Any, "", true));
        Assert.Equal(InterfaceAction.Ignore, ignoreAll.Evaluate(s_lanAddress, "eth0", false));
        Assert.Equal(InterfaceAction.Listen, ignoreAll.Evaluate(IPAddress.Loopback, "lo", false));
    }

    [Fact]
    public void Evaluate_FamilyAndWildcardRules_MatchTheirAddresses()
    {
        InterfaceRules rules = Rules("interface ignore ipv6\ninterface listen wildcard");

        Assert.Equal(InterfaceAction.Ignore, rules.Evaluate(IPAddress.Parse("2001:db8::5"), "eth0", false));
        Assert.Equal(InterfaceAction.Listen, rules.Evaluate(IPAddress.IPv6Any, "", true));
        Assert.Equal(InterfaceAction.Ignore, rules.Evaluate(s_lanAddress, "eth0", false));
    }

    [Theory]
    [InlineData("ETH*", "eth0", true)]
    [InlineData("eth?", "eth10", false)]
    [InlineData("en[op]*", "enp3s0", true)]
    [InlineData("en[!p]*", "enp3s0", false)]
    [InlineData("wl*0", "wlan0", true)]
    [InlineData("*", "anything", true)]
    [InlineData("br-[a-f]*", "br-C0ffee", true)]
    public void Evaluate_NamePattern_MatchesLikeFnmatchCaseFold(string pattern, string name, bool matches)
    {
        InterfaceRules rules = Rules($"interface drop {pattern}");

        InterfaceAction expected = matches ? InterfaceAction.Drop : InterfaceAction.Ignore;
        Assert.Equal(expected, rules.Evaluate(s_lanAddress, name, false));
    }

    [Fact]
    public void Evaluate_EmbeddedDefaults_LoopbackOnly()
    {
        InterfaceRules rules = ConfigParser.Parse(EmbeddedDefaults.Text, EmbeddedDefaults.FileName).Config.InterfaceRules;

        Assert.Equal(InterfaceAction.Listen, rules.Evaluate(IPAddress.Loopback, "lo", false));
        Assert.Equal(InterfaceAction.Listen, rules.Evaluate(IPAddress.IPv6Loopback, "lo", false));
        Assert.Equal(InterfaceAction.Ignore, rules.Evaluate(s_lanAddress, "eth0", false));
        Assert.Equal(InterfaceAction.Ignore, rules.Evaluate(IPAddress.Any, "", true));
    }

    private static InterfaceRules Rules(string text)
    {
        ConfigParseResult result = ConfigParser.Parse(text, "ntp.conf");
        Assert.Empty(result.Diagnostics);
        return result.Config.InterfaceRules;
    }
}
