// ntpd 4.2.8's broadcast and manycast directives (confopt.html, miscopt.html): broadcast and
// manycastclient lines (address literals only, groups where required, ttl kept), ttl on other
// association lines, broadcastclient [novolley], multicastclient [GROUP ...], manycastserver
// GROUP ..., broadcastdelay and tos bcpollbstep: what each puts into NtpConfig, their defaults,
// repeated groups, and every diagnostic with its exact text and position.
using System.Net;
using Stratum.Core.Config;

namespace Stratum.Core.Tests.Config;

public class CastDirectivesTests
{
    private static readonly IPAddress s_ntpGroup = IPAddress.Parse("224.0.1.1");

    [Theory]
    // broadcast.
    [InlineData("broadcast", "ntp.conf:1:1: error: directive 'broadcast' needs an address")]
    [InlineData("broadcast ntp.example.com", "ntp.conf:1:11: error: 'broadcast' needs an address literal, not the name 'ntp.example.com'")]
    [InlineData("broadcast ntp.example.com key 1 ttl 300 bogus", "ntp.conf:1:11: error: 'broadcast' needs an address literal, not the name 'ntp.example.com'")]
    [InlineData("broadcast 2001:db8::1", "ntp.conf:1:11: error: 'broadcast' to an IPv6 address needs a multicast group (ff00::/8), not '2001:db8::1'")]
    [InlineData("broadcast ::ffff:192.168.1.255", "ntp.conf:1:11: error: 'broadcast' to an IPv6 address needs a multicast group (ff00::/8), not '::ffff:192.168.1.255'")]
    [InlineData("broadcast 192.168.1.300", "ntp.conf:1:11: error: bad address '192.168.1.300'")]
    [InlineData("broadcast -6 192.168.1.255", "ntp.conf:1:11: error: '-6' does not match IPv4 address '192.168.1.255'")]
    [InlineData("broadcast 192.168.1.255 ttl 256", "ntp.conf:1:29: error: 'ttl' needs an integer from 0 to 255, not '256'")]
    [InlineData("broadcast 192.168.1.255 ttl -1", "ntp.conf:1:29: error: 'ttl' needs an integer from 0 to 255, not '-1'")]
    [InlineData("broadcast 239.1.1.1 ttl", "ntp.conf:1:21: error: 'ttl' needs an integer from 0 to 255")]
    [InlineData("broadcast 192.168.1.255 key 0", "ntp.conf:1:29: error: 'key' needs an integer from 1 to 65535, not '0'")]
    [InlineData("broadcast 192.168.1.255 minpoll 2", "ntp.conf:1:33: error: 'minpoll' needs an integer from 3 to 17, not '2'")]
    [InlineData("broadcast 192.168.1.255 version 5", "ntp.conf:1:33: error: 'version' needs an integer from 1 to 4, not '5'")]
    [InlineData("broadcast 192.168.1.255 ibrust", "ntp.conf:1:25: error: unknown option 'ibrust' for broadcast")]
    [InlineData("broadcast 192.168.1.255 mode 3", "ntp.conf:1:25: warning: option 'mode' only applies to reference clocks and is ignored")]
    [InlineData("broadcast 192.168.1.255 autokey", "ntp.conf:1:25: warning: Autokey is not supported; option 'autokey' is ignored")]
    [InlineData("broadcast 239.1.1.1 minpoll 12", "ntp.conf:1:21: warning: minpoll 12 is above maxpoll 10; minpoll becomes 10")]
    [InlineData("Broadcast 192.168.1.255", "ntp.conf:1:1: error: unknown directive 'Broadcast'")]
    [InlineData("broadcast 192.168.1.255 iburst", "ntp.conf:1:25: warning: option 'iburst' has no effect on a 'broadcast' line")]
    [InlineData("broadcast 239.1.1.1 key 1 prefer", "ntp.conf:1:27: warning: option 'prefer' has no effect on a 'broadcast' line")]
    [InlineData("broadcast 239.1.1.1 maxpoll 12", "ntp.conf:1:21: warning: option 'maxpoll' has no effect on a 'broadcast' line")]
    // manycastclient.
    [InlineData("manycastclient", "ntp.conf:1:1: error: directive 'manycastclient' needs an address")]
    [InlineData("manycastclient 192.0.2.1", "ntp.conf:1:16: error: 'manycastclient' needs a multicast group address (224.0.0.0/4 or ff00::/8), not '192.0.2.1'")]
    [InlineData("manycastclient 192.168.1.255 key 1", "ntp.conf:1:16: error: 'manycastclient' needs a multicast group address (224.0.0.0/4 or ff00::/8), not '192.168.1.255'")]
    [InlineData("manycastclient 2001:db8::1", "ntp.conf:1:16: error: 'manycastclient' needs a multicast group address (224.0.0.0/4 or ff00::/8), not '2001:db8::1'")]
    [InlineData("manycastclient 127.127.1.0", "ntp.conf:1:16: error: 'manycastclient' needs a multicast group address (224.0.0.0/4 or ff00::/8), not '127.127.1.0'")]
    [InlineData("manycastclient ntp.example.com", "ntp.conf:1:16: error: 'manycastclient' needs an address literal, not the name 'ntp.example.com'")]
    [InlineData("manycastclient 239.1.1.300", "ntp.conf:1:16: error: bad address '239.1.1.300'")]
    [InlineData("manycastclient -4 ff05::101", "ntp.conf:1:16: error: '-4' does not match IPv6 address 'ff05::101'")]
    [InlineData("manycastclient 239.1.1.1 ttl 999", "ntp.conf:1:30: error: 'ttl' needs an integer from 0 to 255, not '999'")]
    [InlineData("manycastclient 239.1.1.1 key x", "ntp.conf:1:30: error: 'key' needs an integer from 1 to 65535, not 'x'")]
    [InlineData("manycastclient 239.1.1.1 minpoll 11", "ntp.conf:1:26: warning: minpoll 11 is above maxpoll 10; minpoll becomes 10")]
    [InlineData("manycastclient 239.1.1.1 preempt", "ntp.conf:1:26: warning: option 'preempt' is not implemented yet and is ignored")]
    [InlineData("manycastclient 239.1.1.1 iburst noselect", "ntp.conf:1:33: warning: option 'noselect' has no effect on a 'manycastclient' line")]
    [InlineData("manycastclient 239.1.1.1 xleave", "ntp.conf:1:26: warning: option 'xleave' has no effect on a 'manycastclient' line")]
    // ttl on lines it does not apply to.
    [InlineData("server 192.0.2.1 ttl 5", "ntp.conf:1:18: warning: option 'ttl' only applies to 'broadcast' and 'manycastclient' lines and is ignored on 'server'")]
    [InlineData("pool pool.ntp.org iburst ttl 5", "ntp.conf:1:26: warning: option 'ttl' only applies to 'broadcast' and 'manycastclient' lines and is ignored on 'pool'")]
    [InlineData("peer 192.0.2.1 ttl 0 key 3", "ntp.conf:1:16: warning: option 'ttl' only applies to 'broadcast' and 'manycastclient' lines and is ignored on 'peer'")]
    [InlineData("server 192.0.2.1 ttl 300", "ntp.conf:1:22: error: 'ttl' needs an integer from 0 to 255, not '300'")]
    [InlineData("server 127.127.1.0 ttl 5", "ntp.conf:1:20: warning: option 'ttl' has no effect on a reference clock")]
    [InlineData("ttl 1 2 3", "ntp.conf:1:1: warning: directive 'ttl' is not implemented yet and is ignored")]
    // broadcastclient.
    [InlineData("broadcastclient novolley", "ntp.conf:1:17: warning: option 'novolley' is deprecated (as in ntpd 4.2.8); set 'broadcastdelay' to skip the volley")]
    [InlineData("broadcastclient volley", "ntp.conf:1:17: error: unknown option 'volley' for broadcastclient")]
    [InlineData("broadcastclient 224.0.1.1", "ntp.conf:1:17: error: unknown option '224.0.1.1' for broadcastclient")]
    // multicastclient.
    [InlineData("multicastclient 192.0.2.1", "ntp.conf:1:17: error: 'multicastclient' needs multicast group addresses (224.0.0.0/4 or ff00::/8), not '192.0.2.1'")]
    [InlineData("multicastclient 224.0.1.1 ntp.example.com", "ntp.conf:1:27: error: 'multicastclient' needs multicast group addresses (224.0.0.0/4 or ff00::/8), not 'ntp.example.com'")]
    [InlineData("multicastclient 224.0.1.300", "ntp.conf:1:17: error: 'multicastclient' needs multicast group addresses (224.0.0.0/4 or ff00::/8), not '224.0.1.300'")]
    [InlineData("multicastclient ff02::101 fe80::1", "ntp.conf:1:27: error: 'multicastclient' needs multicast group addresses (224.0.0.0/4 or ff00::/8), not 'fe80::1'")]
    // manycastserver.
    [InlineData("manycastserver", "ntp.conf:1:1: error: directive 'manycastserver' needs a multicast group address")]
    [InlineData("manycastserver 192.0.2.255", "ntp.conf:1:16: error: 'manycastserver' needs multicast group addresses (224.0.0.0/4 or ff00::/8), not '192.0.2.255'")]
    [InlineData("manycastserver 239.1.1.1 2001:db8::1", "ntp.conf:1:26: error: 'manycastserver' needs multicast group addresses (224.0.0.0/4 or ff00::/8), not '2001:db8::1'")]
    [InlineData("manycastserver ntp.example.com 239.1.1.1", "ntp.conf:1:16: error: 'manycastserver' needs multicast group addresses (224.0.0.0/4 or ff00::/8), not 'ntp.example.com'")]
    // broadcastdelay.
    [InlineData("broadcastdelay", "ntp.conf:1:1: error: 'broadcastdelay' needs a number from 0 to 1")]
    [InlineData("broadcastdelay 1.5", "ntp.conf:1:16: error: 'broadcastdelay' needs a number from 0 to 1, not '1.5'")]
    [InlineData("broadcastdelay -0.004", "ntp.conf:1:16: error: 'broadcastdelay' needs a number from 0 to 1, not '-0.004'")]
    [InlineData("broadcastdelay NaN", "ntp.conf:1:16: error: 'broadcastdelay' needs a number from 0 to 1, not 'NaN'")]
    [InlineData("broadcastdelay 4ms", "ntp.conf:1:16: error: 'broadcastdelay' needs a number from 0 to 1, not '4ms'")]
    [InlineData("broadcastdelay 0.004 0.008", "ntp.conf:1:22: error: unexpected '0.008' at the end of the broadcastdelay line")]
    [InlineData("broadcastdelay 0.004\nbroadcastdelay 0.008", "ntp.conf:2:1: warning: duplicate 'broadcastdelay' (previous at ntp.conf:1); the last one wins")]
    // tos bcpollbstep.
    [InlineData("tos bcpollbstep 5", "ntp.conf:1:17: error: 'bcpollbstep' needs an integer from 0 to 4, not '5'")]
    [InlineData("tos bcpollbstep -1", "ntp.conf:1:17: error: 'bcpollbstep' needs an integer from 0 to 4, not '-1'")]
    [InlineData("tos bcpollbstep", "ntp.conf:1:5: error: 'bcpollbstep' needs an integer from 0 to 4")]
    public void Parse_CastProblemLine_ReportsExactlyThisDiagnostic(string text, string expected)
    {
        ConfigParseResult result = ConfigParser.Parse(text, "ntp.conf");

        Assert.Equal([expected], result.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(expected.Contains(": error: ", StringComparison.Ordinal), result.HasErrors);
    }

    [Fact]
    public void Parse_EveryCastDirective_IsImplementedAndQuiet()
    {
        const string Text = """
            broadcast 192.168.1.255 key 1 ttl 4
            broadcast ff05::101 minpoll 4 version 3
            manycastclient 239.255.254.254 key 2 ttl 8 iburst
            broadcastclient
            multicastclient 224.0.1.1 ff02::101
            manycastserver 239.255.254.254
            broadcastdelay 0.004
            tos bcpollbstep 2
            enable auth bclient
            disable bclient
            """;

        ConfigParseResult result = ConfigParser.Parse(Text, "ntp.conf");

        Assert.Empty(result.Diagnostics);
        Assert.Equal(3, result.Config.Associations.Count);
    }

    [Theory]
    [InlineData("broadcast 192.168.1.255")]
    [InlineData("manycastclient 239.1.1.1")]
    [InlineData("broadcastclient")]
    [InlineData("broadcastclient novolley")]
    [InlineData("multicastclient")]
    [InlineData("multicastclient 224.0.1.1")]
    [InlineData("manycastserver 239.1.1.1")]
    [InlineData("broadcastdelay 0.004")]
    [InlineData("tos bcpollbstep 1")]
    [InlineData("broadcast 192.168.1.255 ttl 9\nserver 192.0.2.1 ttl 9")]
    public void Parse_CastDirective_NoLongerSaysNotImplemented(string text)
    {
        ConfigParseResult result = ConfigParser.Parse(text, "ntp.conf");

        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("not implemented", StringComparison.Ordinal));
        Assert.False(result.HasErrors);
    }

    [Fact]
    public void Parse_EmptyText_LeavesCastingOff()
    {
        NtpConfig config = ParseClean("");

        Assert.False(config.System.BroadcastClient);
        Assert.True(config.System.Authentication);
        Assert.Empty(config.MulticastClientGroups);
        Assert.Empty(config.ManycastServerGroups);
        Assert.Null(config.BroadcastDelay);
        Assert.Null(config.Tos.BroadcastPollBackoffStep);
        Assert.Equal(127, AssociationConfig.DefaultMulticastTtl);
    }

    [Fact]
    public void Parse_BroadcastWithoutOptions_TakesTheDefaults()
    {
        AssociationConfig broadcast = Assert.Single(ParseClean("\nbroadcast 192.168.1.255").Associations);

        Assert.Equal(
            new AssociationConfig(AssociationKind.Broadcast, "192.168.1.255", AddressFamilyHint.IPv4, false, false, false, false, false, 6, 10, 4, null, 2),
            broadcast);
        Assert.Null(broadcast.Ttl);
        Assert.False(broadcast.Xleave);
    }

    [Fact]
    public void Parse_BroadcastWithOptions_KeepsKeyTtlPollAndVersion()
    {
        AssociationConfig broadcast = Assert.Single(ParseClean("broadcast -4 239.1.1.1 key 42 ttl 32 minpoll 4 version 3").Associations);

        Assert.Equal(
            new AssociationConfig(AssociationKind.Broadcast, "239.1.1.1", AddressFamilyHint.IPv4, false, false, false, false, false, 4, 10, 3, 42u, 1)
            {
                Ttl = 32,
            },
            broadcast);
    }

    [Theory]
    [InlineData("broadcast 255.255.255.255", "255.255.255.255", AddressFamilyHint.IPv4)]
    [InlineData("broadcast 10.0.0.255", "10.0.0.255", AddressFamilyHint.IPv4)]
    [InlineData("broadcast 224.0.1.1", "224.0.1.1", AddressFamilyHint.IPv4)]
    [InlineData("broadcast 239.255.255.255", "239.255.255.255", AddressFamilyHint.IPv4)]
    [InlineData("broadcast ff05::101", "ff05::101", AddressFamilyHint.IPv6)]
    [InlineData("broadcast -6 FF02::101", "FF02::101", AddressFamilyHint.IPv6)]
    [InlineData("broadcast ff02::101%eth0", "ff02::101%eth0", AddressFamilyHint.IPv6)]
    public void Parse_BroadcastAddressOrGroup_IsKeptAsWritten(string text, string address, AddressFamilyHint family)
    {
        AssociationConfig broadcast = Assert.Single(ParseClean(text).Associations);

        Assert.Equal((AssociationKind.Broadcast, address, family), (broadcast.Kind, broadcast.Address, broadcast.Family));
    }

    [Theory]
    [InlineData("broadcast 192.168.1.255 ttl 0", 0)]
    [InlineData("broadcast ff05::101 ttl 255", 255)]
    [InlineData("manycastclient 239.1.1.1 ttl 1", 1)]
    [InlineData("manycastclient 239.1.1.1 ttl 7 ttl 9", 9)]
    public void Parse_TtlOnCastLine_IsKept(string text, int ttl)
    {
        Assert.Equal((byte?)ttl, Assert.Single(ParseClean(text).Associations).Ttl);
    }

    [Fact]
    public void Parse_ManycastClient_KeepsGroupAndOptions()
    {
        AssociationConfig manycast = Assert.Single(ParseClean("manycastclient 239.255.254.254 key 7 ttl 4 minpoll 5 maxpoll 8 iburst").Associations);

        Assert.Equal(
            new AssociationConfig(AssociationKind.ManycastClient, "239.255.254.254", AddressFamilyHint.IPv4, true, false, false, false, false, 5, 8, 4, 7u, 1)
            {
                Ttl = 4,
            },
            manycast);
    }

    [Fact]
    public void Parse_ManycastClientIpv6_WithoutTtl()
    {
        AssociationConfig manycast = Assert.Single(ParseClean("manycastclient ff05::101").Associations);

        Assert.Equal((AssociationKind.ManycastClient, "ff05::101", AddressFamilyHint.IPv6), (manycast.Kind, manycast.Address, manycast.Family));
        Assert.Null(manycast.Ttl);
        Assert.Null(manycast.KeyId);
        Assert.Equal((6, 10), (manycast.MinPoll, manycast.MaxPoll));
    }

    [Fact]
    public void Parse_CastLinesAmongServers_KeepFileOrderAndLines()
    {
        NtpConfig config = ParseClean("server 192.0.2.1\nbroadcast 192.168.1.255\n# comment\nmanycastclient 239.1.1.1\npeer 192.0.2.2");

        Assert.Equal(
            [
                (AssociationKind.Server, "192.0.2.1", 1),
                (AssociationKind.Broadcast, "192.168.1.255", 2),
                (AssociationKind.ManycastClient, "239.1.1.1", 4),
                (AssociationKind.Peer, "192.0.2.2", 5),
            ],
            config.Associations.Select(a => (a.Kind, a.Address, a.Line)));
    }

    [Fact]
    public void Parse_RepeatedBroadcastLines_AreEachKept()
    {
        NtpConfig config = ParseClean("broadcast 192.168.1.255\nbroadcast 192.168.1.255 ttl 3");

        Assert.Equal([((byte?)null, 1), ((byte?)3, 2)], config.Associations.Select(a => (a.Ttl, a.Line)));
    }

    [Theory]
    [InlineData("server 192.0.2.1 ttl 5", AssociationKind.Server)]
    [InlineData("pool pool.ntp.org ttl 5", AssociationKind.Pool)]
    [InlineData("peer 192.0.2.1 ttl 5", AssociationKind.Peer)]
    public void Parse_TtlOnNonCastLine_IsDroppedButTheLineIsKept(string text, AssociationKind kind)
    {
        ConfigParseResult result = ConfigParser.Parse(text, "ntp.conf");

        Assert.False(result.HasErrors);
        ConfigDiagnostic warning = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        AssociationConfig association = Assert.Single(result.Config.Associations);
        Assert.Equal(kind, association.Kind);
        Assert.Null(association.Ttl);
    }

    [Theory]
    [InlineData("broadcast ntp.example.com")]
    [InlineData("broadcast 2001:db8::1 key 1")]
    [InlineData("manycastclient 192.0.2.1 ttl 4")]
    [InlineData("manycastclient pool.ntp.org")]
    public void Parse_BadCastAddress_AddsNoAssociation(string text)
    {
        ConfigParseResult result = ConfigParser.Parse(text + "\nserver 192.0.2.9", "ntp.conf");

        Assert.True(result.HasErrors);
        Assert.Single(result.Diagnostics);
        Assert.Equal("192.0.2.9", Assert.Single(result.Config.Associations).Address);
    }

    [Fact]
    public void Parse_BadCastAddress_ErrorNamesIncludedFileAndLine()
    {
        var files = new InMemoryIncludeSource(new() { ["/etc/ntp/cast.conf"] = "# cast\n\nbroadcast  bcast.example.com ttl 4" });

        ConfigParseResult result = ConfigParser.Parse("includefile ntp/cast.conf", "/etc/ntp.conf", files);

        Assert.Equal(
            ["/etc/ntp/cast.conf:3:12: error: 'broadcast' needs an address literal, not the name 'bcast.example.com'"],
            result.Diagnostics.Select(d => d.ToString()));
        Assert.Empty(result.Config.Associations);
    }

    [Fact]
    public void Parse_BroadcastClient_SetsTheSystemFlagOnly()
    {
        NtpConfig config = ParseClean("broadcastclient");

        Assert.Equal(SystemOptions.Default with { BroadcastClient = true }, config.System);
        Assert.Empty(config.MulticastClientGroups);
        Assert.Empty(config.Associations);
    }

    [Fact]
    public void Parse_BroadcastClientNovolley_WarnsButStillListens()
    {
        ConfigParseResult result = ConfigParser.Parse("broadcastdelay 0.003\nbroadcastclient novolley", "ntp.conf");

        Assert.Equal(
            ["ntp.conf:2:17: warning: option 'novolley' is deprecated (as in ntpd 4.2.8); set 'broadcastdelay' to skip the volley"],
            result.Diagnostics.Select(d => d.ToString()));
        Assert.True(result.Config.System.BroadcastClient);
        Assert.Equal(0.003, result.Config.BroadcastDelay);
    }

    [Fact]
    public void Parse_BroadcastClientNovolleyTwice_WarnsTwice()
    {
        ConfigParseResult result = ConfigParser.Parse("broadcastclient novolley novolley", "ntp.conf");

        Assert.Equal(
            [
                "ntp.conf:1:17: warning: option 'novolley' is deprecated (as in ntpd 4.2.8); set 'broadcastdelay' to skip the volley",
                "ntp.conf:1:26: warning: option 'novolley' is deprecated (as in ntpd 4.2.8); set 'broadcastdelay' to skip the volley",
            ],
            result.Diagnostics.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("broadcastclient", true)]
    [InlineData("enable bclient", true)]
    [InlineData("multicastclient", true)]
    [InlineData("broadcastclient\ndisable bclient", false)]
    [InlineData("multicastclient 239.1.1.1\ndisable bclient", false)]
    [InlineData("disable bclient\nbroadcastclient", true)]
    [InlineData("disable bclient\nmulticastclient ff02::101", true)]
    [InlineData("enable bclient\ndisable bclient", false)]
    [InlineData("manycastserver 239.1.1.1", false)]
    [InlineData("broadcast 192.168.1.255", false)]
    [InlineData("manycastclient 239.1.1.1", false)]
    [InlineData("broadcastdelay 0.01", false)]
    public void Parse_BroadcastClientFlag_LastMentionWins(string text, bool expected)
    {
        Assert.Equal(expected, ParseClean(text).System.BroadcastClient);
    }

    [Fact]
    public void Parse_BadMulticastClientGroup_StillEnablesTheClient()
    {
        ConfigParseResult result = ConfigParser.Parse("multicastclient 192.0.2.1", "ntp.conf");

        Assert.True(result.HasErrors);
        Assert.True(result.Config.System.BroadcastClient);
        Assert.Empty(result.Config.MulticastClientGroups);
    }

    [Fact]
    public void Parse_MulticastClientWithoutGroup_JoinsTheNtpGroup()
    {
        NtpConfig config = ParseClean("multicastclient");

        Assert.Equal([s_ntpGroup], config.MulticastClientGroups);
        Assert.True(config.System.BroadcastClient);
        Assert.Empty(config.ManycastServerGroups);
    }

    [Fact]
    public void Parse_MulticastClientDefaultGroupRepeated_JoinsItOnce()
    {
        NtpConfig config = ParseClean("multicastclient\nmulticastclient\nmulticastclient 224.0.1.1 224.0.1.1");

        Assert.Equal([s_ntpGroup], config.MulticastClientGroups);
    }

    [Fact]
    public void Parse_MulticastClientGroups_InOrderWithoutRepeats()
    {
        NtpConfig config = ParseClean("multicastclient 239.1.1.1 ff02::101 239.1.1.1\nmulticastclient FF02::101 224.0.1.1\nmulticastclient");

        Assert.Equal(
            [IPAddress.Parse("239.1.1.1"), IPAddress.Parse("ff02::101"), s_ntpGroup],
            config.MulticastClientGroups);
    }

    [Fact]
    public void Parse_MulticastClientNamedGroup_DoesNotAddTheDefault()
    {
        NtpConfig config = ParseClean("multicastclient 239.192.0.1");

        Assert.Equal([IPAddress.Parse("239.192.0.1")], config.MulticastClientGroups);
    }

    [Fact]
    public void Parse_MulticastClientBadGroupAmongGood_KeepsTheGoodOnes()
    {
        ConfigParseResult result = ConfigParser.Parse("multicastclient 239.1.1.1 10.0.0.1 ff05::101", "ntp.conf");

        Assert.Equal(
            ["ntp.conf:1:27: error: 'multicastclient' needs multicast group addresses (224.0.0.0/4 or ff00::/8), not '10.0.0.1'"],
            result.Diagnostics.Select(d => d.ToString()));
        Assert.Equal([IPAddress.Parse("239.1.1.1"), IPAddress.Parse("ff05::101")], result.Config.MulticastClientGroups);
    }

    [Fact]
    public void Parse_ManycastServerGroups_InOrderWithoutRepeats()
    {
        NtpConfig config = ParseClean("manycastserver 239.255.254.254 ff05::101\nmanycastserver 239.255.254.254 224.0.1.1");

        Assert.Equal(
            [IPAddress.Parse("239.255.254.254"), IPAddress.Parse("ff05::101"), s_ntpGroup],
            config.ManycastServerGroups);
        Assert.False(config.System.BroadcastClient);
        Assert.Empty(config.MulticastClientGroups);
        Assert.Empty(config.Associations);
    }

    [Fact]
    public void Parse_ManycastServerBadGroupAmongGood_KeepsTheGoodOnes()
    {
        ConfigParseResult result = ConfigParser.Parse("\n\nmanycastserver 192.0.2.1 239.1.1.1", "ntp.conf");

        Assert.Equal(
            ["ntp.conf:3:16: error: 'manycastserver' needs multicast group addresses (224.0.0.0/4 or ff00::/8), not '192.0.2.1'"],
            result.Diagnostics.Select(d => d.ToString()));
        Assert.Equal([IPAddress.Parse("239.1.1.1")], result.Config.ManycastServerGroups);
    }

    [Fact]
    public void Parse_ClientAndServerGroups_AreKeptApart()
    {
        NtpConfig config = ParseClean("multicastclient 224.0.1.1\nmanycastserver 239.1.1.1");

        Assert.Equal([s_ntpGroup], config.MulticastClientGroups);
        Assert.Equal([IPAddress.Parse("239.1.1.1")], config.ManycastServerGroups);
    }

    [Theory]
    [InlineData("broadcastdelay 0", 0.0)]
    [InlineData("broadcastdelay 1", 1.0)]
    [InlineData("broadcastdelay 0.004", 0.004)]
    [InlineData("broadcastdelay 4e-3", 0.004)]
    public void Parse_BroadcastDelay_KeepsSeconds(string text, double seconds)
    {
        Assert.Equal(seconds, ParseClean(text).BroadcastDelay);
    }

    [Fact]
    public void Parse_BroadcastDelayTwice_LastWinsWithWarning()
    {
        ConfigParseResult result = ConfigParser.Parse("broadcastdelay 0.004\nserver 192.0.2.1\nbroadcastdelay 0.008", "ntp.conf");

        Assert.Equal(
            ["ntp.conf:3:1: warning: duplicate 'broadcastdelay' (previous at ntp.conf:1); the last one wins"],
            result.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(0.008, result.Config.BroadcastDelay);
    }

    [Fact]
    public void Parse_BadBroadcastDelay_LeavesItUnset()
    {
        ConfigParseResult result = ConfigParser.Parse("broadcastdelay 2", "ntp.conf");

        Assert.True(result.HasErrors);
        Assert.Null(result.Config.BroadcastDelay);
    }

    [Theory]
    [InlineData("tos bcpollbstep 0", 0)]
    [InlineData("tos bcpollbstep 4", 4)]
    [InlineData("tos bcpollbstep 1 minclock 2\ntos bcpollbstep 3", 3)]
    public void Parse_TosBcpollbstep_KeepsSteps(string text, int steps)
    {
        Assert.Equal(steps, ParseClean(text).Tos.BroadcastPollBackoffStep);
    }

    [Fact]
    public void Parse_EnableDisableAuth_KeepsTheFlag()
    {
        Assert.False(ParseClean("disable auth").System.Authentication);
        Assert.True(ParseClean("disable auth\nenable auth").System.Authentication);
    }

    private static NtpConfig ParseClean(string text)
    {
        ConfigParseResult result = ConfigParser.Parse(text, "ntp.conf");
        Assert.Empty(result.Diagnostics);
        return result.Config;
    }
}
