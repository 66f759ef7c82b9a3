// The configs admins write by following the Ubuntu NTP guides (/work/shared/guides): Ubuntu's
// stock ntp.conf with statistics, pool/server lines, a local clock fallback, restrict lines.
// They must parse without diagnostics into the model the daemon expects.
using System.Net;
using Stratum.Core.Config;

namespace Stratum.Core.Tests.Config;

public class UbuntuGuideConfigTests
{
    private const string UbuntuStockConfig = """
        # /etc/ntp.conf, configuration for ntpd; see ntp.conf(5) for help

        driftfile /var/lib/ntp/ntp.drift
        logfile /var/log/ntp.log

        # Enable this if you want statistics to be logged.
        statsdir /var/log/ntpstats/

        statistics loopstats peerstats clockstats
        filegen loopstats file loopstats type day enable
        filegen peerstats file peerstats type day enable
        filegen clockstats file clockstats type day enable

        # Specify one or more NTP servers.
        server 0.ubuntu.pool.ntp.org iburst
        server 1.ubuntu.pool.ntp.org iburst
        server 2.ubuntu.pool.ntp.org iburst
        server 3.ubuntu.pool.ntp.org iburst prefer

        # Use Ubuntu's ntp server as a fallback.
        server ntp.ubuntu.com

        # Undisciplined local clock, used when no server can be reached.
        server 127.127.1.0
        fudge 127.127.1.0 stratum 10

        # By default, exchange time with everybody, but don't allow configuration.
        restrict -4 default kod notrap nomodify nopeer noquery
        restrict -6 default kod notrap nomodify nopeer noquery

        # Local users may interrogate the ntp server more closely.
        restrict 127.0.0.1
        restrict ::1

        # Clients from this (example!) subnet have unlimited access.
        restrict 192.168.1.0 mask 255.255.255.0 nomodify notrap
        """;

    // The second guide: regional pools, a preferred server, a symmetric peer; written with tabs,
    // trailing comments and Windows line ends, as configs edited on other machines often are.
    private const string RegionalPoolConfig =
        "driftfile /var/lib/ntp/ntp.drift\r\n" +
        "statistics loopstats peerstats\r\n" +
        "filegen loopstats file loopstats type week link enable\r\n" +
        "\r\n" +
        "pool 0.europe.pool.ntp.org iburst\r\n" +
        "pool 1.europe.pool.ntp.org iburst\r\n" +
        "server\t0.uk.pool.ntp.org\tiburst prefer   # closest\r\n" +
        "server ntp1.warwicknet.com iburst minpoll 4 maxpoll 8\r\n" +
        "peer 192.168.1.20\r\n" +
        "restrict -4 default kod notrap nomodify nopeer noquery\r\n" +
        "restrict -6 default kod notrap nomodify nopeer noquery\r\n" +
        "restrict 127.0.0.1\r\n" +
        "restrict -6 ::1\r\n" +
        "restrict 192.168.1.0 mask 255.255.255.0 nomodify notrap\r\n";

    private const RestrictFlags DefaultRestrictions =
        RestrictFlags.Kod | RestrictFlags.NoTrap | RestrictFlags.NoModify | RestrictFlags.NoPeer | RestrictFlags.NoQuery;

    [Fact]
    public void Parse_UbuntuStockConfig_HasNoDiagnostics()
    {
        ConfigParseResult result = ConfigParser.Parse(UbuntuStockConfig, "/etc/ntp.conf");

        Assert.Empty(result.Diagnostics);
        Assert.False(result.HasErrors);
    }

    [Fact]
    public void Parse_UbuntuStockConfig_FilesAndStatistics()
    {
        NtpConfig config = ConfigParser.Parse(UbuntuStockConfig, "/etc/ntp.conf").Config;

        Assert.Equal("/var/lib/ntp/ntp.drift", config.DriftFile);
        Assert.Equal("/var/log/ntp.log", config.LogFile);
        Assert.Equal("/var/log/ntpstats/", config.StatsDirectory);
        Assert.Equal([StatisticsKind.LoopStats, StatisticsKind.PeerStats, StatisticsKind.ClockStats], config.Statistics);
        Assert.Equal(
            [
                new FilegenConfig(StatisticsKind.LoopStats, "loopstats", FilegenType.Day, true, true, 10),
                new FilegenConfig(StatisticsKind.PeerStats, "peerstats", FilegenType.Day, true, true, 11),
                new FilegenConfig(StatisticsKind.ClockStats, "clockstats", FilegenType.Day, true, true, 12),
            ],
            config.Filegens);
        Assert.True(config.IsStatisticsEnabled(StatisticsKind.PeerStats));
        Assert.False(config.IsStatisticsEnabled(StatisticsKind.RawStats));
    }

    [Fact]
    public void Parse_UbuntuStockConfig_Servers()
    {
        NtpConfig config = ConfigParser.Parse(UbuntuStockConfig, "/etc/ntp.conf").Config;

        Assert.Equal(
            [
                Server("0.ubuntu.pool.ntp.org", iburst: true, prefer: false, line: 15),
                Server("1.ubuntu.pool.ntp.org", iburst: true, prefer: false, line: 16),
                Server("2.ubuntu.pool.ntp.org", iburst: true, prefer: false, line: 17),
                Server("3.ubuntu.pool.ntp.org", iburst: true, prefer: true, line: 18),
                Server("ntp.ubuntu.com", iburst: false, prefer: false, line: 21),
            ],
            config.Associations);
    }

    [Fact]
    public void Parse_UbuntuStockConfig_LocalClockWithFudgedStratum()
    {
        NtpConfig config = ConfigParser.Parse(UbuntuStockConfig, "/etc/ntp.conf").Config;

        RefClockConfig clock = Assert.Single(config.RefClocks);
        Assert.Equal(
            new RefClockConfig(1, 0, false, 6, 10, 24, 10, 0, 0, null, false, false, false, false),
            clock);
        Assert.True(clock.IsLocalClock);
        Assert.Equal("127.127.1.0", clock.Address);
    }

    [Fact]
    public void Parse_UbuntuStockConfig_Restrictions()
    {
        NtpConfig config = ConfigParser.Parse(UbuntuStockConfig, "/etc/ntp.conf").Config;

        Assert.Equal(
            [
                new RestrictRule(RestrictTarget.Default, null, null, AddressFamilyHint.IPv4, DefaultRestrictions, 28),
                new RestrictRule(RestrictTarget.Default, null, null, AddressFamilyHint.IPv6, DefaultRestrictions, 29),
                new RestrictRule(
                    RestrictTarget.Address,
                    IPAddress.Parse("127.0.0.1"),
                    IPAddress.Parse("255.255.255.255"),
                    AddressFamilyHint.IPv4,
                    RestrictFlags.None,
                    32),
                new RestrictRule(
                    RestrictTarget.Address,
                    IPAddress.IPv6Loopback,
                    IPAddress.Parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
                    AddressFamilyHint.IPv6,
                    RestrictFlags.None,
                    33),
                new RestrictRule(
                    RestrictTarget.Address,
                    IPAddress.Parse("192.168.1.0"),
                    IPAddress.Parse("255.255.255.0"),
                    AddressFamilyHint.IPv4,
                    RestrictFlags.NoModify | RestrictFlags.NoTrap,
                    36),
            ],
            config.Restrictions);
    }

    [Fact]
    public void Parse_UbuntuStockConfig_LeavesSystemDefaults()
    {
        NtpConfig config = ConfigParser.Parse(UbuntuStockConfig, "/etc/ntp.conf").Config;

        Assert.Equal(SystemOptions.Default, config.System);
        Assert.True(config.System.ClockDiscipline);
        Assert.Empty(config.InterfaceRules);
    }

    [Fact]
    public void Parse_RegionalPoolConfigWithCrLf_HasNoDiagnostics()
    {
        ConfigParseResult result = ConfigParser.Parse(RegionalPoolConfig, "/etc/ntp.conf");

        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Parse_RegionalPoolConfig_PoolsServersAndPeer()
    {
        NtpConfig config = ConfigParser.Parse(RegionalPoolConfig, "/etc/ntp.conf").Config;

        Assert.Equal(
            [
                new AssociationConfig(AssociationKind.Pool, "0.europe.pool.ntp.org", AddressFamilyHint.Any, true, false, false, false, false, 6, 10, 4, null, 5),
                new AssociationConfig(AssociationKind.Pool, "1.europe.pool.ntp.org", AddressFamilyHint.Any, true, false, false, false, false, 6, 10, 4, null, 6),
                new AssociationConfig(AssociationKind.Server, "0.uk.pool.ntp.org", AddressFamilyHint.Any, true, false, true, false, false, 6, 10, 4, null, 7),
                new AssociationConfig(AssociationKind.Server, "ntp1.warwicknet.com", AddressFamilyHint.Any, true, false, false, false, false, 4, 8, 4, null, 8),
                new AssociationConfig(AssociationKind.Peer, "192.168.1.20", AddressFamilyHint.IPv4, false, false, false, false, false, 6, 10, 4, null, 9),
            ],
            config.Associations);
        Assert.Empty(config.RefClocks);
    }

    [Fact]
    public void Parse_RegionalPoolConfig_FilegenAndRestrictions()
    {
        NtpConfig config = ConfigParser.Parse(RegionalPoolConfig, "/etc/ntp.conf").Config;

        Assert.Equal("/var/lib/ntp/ntp.drift", config.DriftFile);
        Assert.Equal(
            [new FilegenConfig(StatisticsKind.LoopStats, "loopstats", FilegenType.Week, true, true, 3)],
            config.Filegens);
        Assert.Equal(5, config.Restrictions.Count);
        Assert.Equal(AddressFamilyHint.IPv6, config.Restrictions[3].Family);
        Assert.Equal(IPAddress.IPv6Loopback, config.Restrictions[3].Address);
        Assert.Equal(IPAddress.Parse("255.255.255.0"), config.Restrictions[4].Mask);
    }

    [Fact]
    public void Parse_GuideTextWithTypographicMinus_ExplainsTheDash()
    {
        // The first guide prints "restrict −4 default ..." with U+2212; copied as is, it must not
        // silently become a rule for an address.
        ConfigParseResult result = ConfigParser.Parse("restrict \u22124 default kod notrap nomodify nopeer noquery", "ntp.conf");

        ConfigDiagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("ntp.conf:1:10: error: bad address '\u22124' (a typographic dash: write '-4')", diagnostic.ToString());
        Assert.Empty(result.Config.Restrictions);
    }

    private static AssociationConfig Server(string address, bool iburst, bool prefer, int line) =>
        new(AssociationKind.Server, address, AddressFamilyHint.Any, iburst, false, prefer, false, false, 6, 10, 4, null, line);
}
