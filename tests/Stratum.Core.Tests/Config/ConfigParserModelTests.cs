// What each directive puts into the NtpConfig model, beyond the guide configs: options and
// their defaults, fudge merging in either order, system flags, tos/tinker/discard/mru values,
// keys, filegen merging, includes, and the lexer's quotes and comments.
using System.Net;
using Stratum.Core.Config;

namespace Stratum.Core.Tests.Config;

public class ConfigParserModelTests
{
    [Fact]
    public void Parse_ServerWithEveryOption_KeepsThem()
    {
        NtpConfig config = ParseClean("server -6 2001:db8::1 iburst burst prefer noselect true minpoll 4 maxpoll 12 version 3 key 42");

        Assert.Equal(
            new AssociationConfig(AssociationKind.Server, "2001:db8::1", AddressFamilyHint.IPv6, true, true, true, true, true, 4, 12, 3, 42u, 1),
            Assert.Single(config.Associations));
    }

    [Fact]
    public void Parse_HostNameWithFamilyFlag_KeepsTheHint()
    {
        NtpConfig config = ParseClean("pool -4 2.debian.pool.ntp.org.");

        AssociationConfig pool = Assert.Single(config.Associations);
        Assert.Equal(AddressFamilyHint.IPv4, pool.Family);
        Assert.Equal("2.debian.pool.ntp.org.", pool.Address);
    }

    [Fact]
    public void Parse_MaxPollBelowDefaultMinPoll_LowersMinPollSilently()
    {
        AssociationConfig server = Assert.Single(ParseClean("server 192.0.2.1 maxpoll 4").Associations);

        Assert.Equal((4, 4), (server.MinPoll, server.MaxPoll));
    }

    [Theory]
    [InlineData("server 127.127.1.0 prefer minpoll 4\nfudge 127.127.1.0 stratum 12 time1 -0.25 time2 1.5 refid GPS flag1 1 flag4 1")]
    [InlineData("fudge 127.127.1.0 stratum 3 refid XX\nserver 127.127.1.0 prefer minpoll 4\nfudge 127.127.1.0 stratum 12 time1 -0.25 time2 1.5 refid GPS flag1 1 flag4 1")]
    public void Parse_FudgeBeforeOrAfterServer_MergesIntoTheClock(string text)
    {
        RefClockConfig clock = Assert.Single(ParseClean(text).RefClocks);

        Assert.Equal((byte?)12, clock.Stratum);
        Assert.Equal(-0.25, clock.Time1);
        Assert.Equal(1.5, clock.Time2);
        Assert.Equal("GPS", clock.RefId);
        Assert.Equal((true, false, false, true), (clock.Flag1, clock.Flag2, clock.Flag3, clock.Flag4));
        Assert.True(clock.Prefer);
        Assert.Equal(4, clock.MinPoll);
    }

    [Fact]
    public void Parse_UnimplementedRefClockType_IsKeptWithWarning()
    {
        ConfigParseResult result = ConfigParser.Parse("server 127.127.28.0 mode 1 noselect\nfudge 127.127.28.0 refid SHM", "ntp.conf");

        Assert.False(result.HasErrors);
        RefClockConfig clock = Assert.Single(result.Config.RefClocks);
        Assert.Equal(((byte)28, (byte)0, 1, true), (clock.DriverType, clock.Unit, clock.Mode, clock.NoSelect));
        Assert.Equal("SHM", clock.RefId);
    }

    [Fact]
    public void Parse_EnableDisable_LastMentionWins()
    {
        NtpConfig config = ParseClean("disable ntp monitor\nenable mode7 calibrate monitor\ndisable auth kernel stats unpeer_digest_early");

        Assert.Equal(
            SystemOptions.Default with
            {
                ClockDiscipline = false,
                Mode7 = true,
                Calibrate = true,
                Authentication = false,
                KernelDiscipline = false,
                Statistics = false,
                UnpeerDigestEarly = false,
            },
            config.System);
    }

    [Fact]
    public void Parse_Tos_KeepsEveryValue()
    {
        NtpConfig config = ParseClean(
            "tos minsane 2 minclock 4 maxclock 7 floor 1 ceiling 12 cohort 1 mindist 0.005 maxdist 2.5\n" +
            "tos orphan 10 orphanwait 300 beacon 900 bcpollbstep 2");

        Assert.Equal(
            new TosOptions
            {
                MinSane = 2,
                MinClock = 4,
                MaxClock = 7,
                Floor = 1,
                Ceiling = 12,
                Cohort = true,
                MinDistance = 0.005,
                MaxDistance = 2.5,
                OrphanStratum = 10,
                OrphanWait = 300,
                BeaconInterval = 900,
                BroadcastPollBackoffStep = 2,
            },
            config.Tos);
    }

    [Fact]
    public void Parse_Tinker_ConvertsPpmToSecondsPerSecond()
    {
        NtpConfig config = ParseClean("tinker panic 0 step 0.5 stepout 300 freq -12.5 dispersion 15\ntinker allan 1500 huffpuff 7200 stepback 1 stepfwd 2 tick 0.01");

        TinkerOptions tinker = config.Tinker;
        Assert.Equal(0, tinker.PanicThreshold);
        Assert.Equal(0.5, tinker.StepThreshold);
        Assert.Equal(300, tinker.StepOutInterval);
        Assert.Equal(-12.5e-6, tinker.Frequency!.Value, 15);
        Assert.Equal(15e-6, tinker.DispersionRate!.Value, 15);
        Assert.Equal((1500.0, 7200.0, 1.0, 2.0, 0.01), (tinker.AllanIntercept, tinker.HuffPuffWindow, tinker.StepBackThreshold, tinker.StepForwardThreshold, tinker.Tick));
    }

    [Fact]
    public void Parse_DiscardAndMru_KeepsValues()
    {
        NtpConfig config = ParseClean("discard average 4 minimum 1 monitor 3000\nmru maxdepth 1000 maxmem 1024 mindepth 100 maxage 64 initalloc 50 initmem 16 incalloc 25 incmem 8");

        Assert.Equal(new DiscardOptions { AverageLog2Seconds = 4, MinimumSeconds = 1, Monitor = 3000 }, config.Discard);
        Assert.Equal(
            new MruOptions
            {
                MaxDepth = 1000,
                MaxMemoryKib = 1024,
                MinDepth = 100,
                MaxAgeSeconds = 64,
                InitialAllocation = 50,
                InitialMemoryKib = 16,
                IncrementAllocation = 25,
                IncrementMemoryKib = 8,
            },
            config.Mru);
    }

    [Fact]
    public void Parse_Keys_KeepsFileAndIdsWithRanges()
    {
        NtpConfig config = ParseClean("keys /etc/ntp.keys\ntrustedkey 7 (1 ... 3) 2\ntrustedkey (10...12) 65535\ncontrolkey 7\nrequestkey 8");

        Assert.Equal("/etc/ntp.keys", config.KeysFile);
        Assert.Equal([1u, 2u, 3u, 7u, 10u, 11u, 12u, 65535u], config.TrustedKeys);
        Assert.Equal((7u, 8u), (config.ControlKey, config.RequestKey));
    }

    [Fact]
    public void Parse_LeapSmearInterval_KeepsSeconds_AndRefusesOutOfRange()
    {
        Assert.Equal(7200, ParseClean("leapsmearinterval 7200").LeapSmearInterval);
        Assert.Null(ParseClean("server 192.0.2.1").LeapSmearInterval);
        ConfigParseResult tooLong = ConfigParser.Parse("leapsmearinterval 9999999", "ntp.conf");
        Assert.True(tooLong.HasErrors);
        Assert.Contains(tooLong.Diagnostics, d => d.ToString().Contains("ntp.conf:1", StringComparison.Ordinal));
        Assert.True(ConfigParser.Parse("leapsmearinterval -5", "ntp.conf").HasErrors);
    }

    [Fact]
    public void Parse_FilesLeapAndLogConfig_KeepsValues()
    {
        NtpConfig config = ParseClean("pidfile /run/ntpd.pid\nleapfile /usr/share/zoneinfo/leap-seconds.list ignorehash\nlogconfig =syncall +clockall\nlogconfig -syncstatus");

        Assert.Equal("/run/ntpd.pid", config.PidFile);
        Assert.Equal("/usr/share/zoneinfo/leap-seconds.list", config.LeapFile);
        Assert.False(config.LeapFileCheckHash);
        Assert.Equal(["=syncall", "+clockall", "-syncstatus"], config.LogConfig);
    }

    [Fact]
    public void Parse_FilegenLines_MergeAndDisable()
    {
        NtpConfig config = ParseClean("statistics loopstats sysstats\nfilegen loopstats file loop type month nolink\nfilegen loopstats disable\nfilegen rawstats");

        Assert.Equal(
            [
                new FilegenConfig(StatisticsKind.LoopStats, "loop", FilegenType.Month, false, false, 3),
                new FilegenConfig(StatisticsKind.RawStats, "rawstats", FilegenType.Day, true, true, 4),
            ],
            config.Filegens);
        Assert.False(config.IsStatisticsEnabled(StatisticsKind.LoopStats));
        Assert.True(config.IsStatisticsEnabled(StatisticsKind.SysStats));
        Assert.True(config.IsStatisticsEnabled(StatisticsKind.RawStats));
    }

    [Fact]
    public void Parse_RestrictSourceAndIpv6Network_KeepsRules()
    {
        NtpConfig config = ParseClean("restrict default ignore\nrestrict source nomodify noquery\nrestrict 2001:db8:: mask ffff:ffff:: limited kod version ntpport notrust noserve lowpriotrap nomrulist");

        Assert.Equal(
            new RestrictRule(RestrictTarget.Default, null, null, AddressFamilyHint.Any, RestrictFlags.Ignore, 1),
            config.Restrictions[0]);
        Assert.Equal(
            new RestrictRule(RestrictTarget.Source, null, null, AddressFamilyHint.Any, RestrictFlags.NoModify | RestrictFlags.NoQuery, 2),
            config.Restrictions[1]);
        RestrictRule network = config.Restrictions[2];
        Assert.Equal(IPAddress.Parse("ffff:ffff::"), network.Mask);
        Assert.Equal(
            RestrictFlags.Limited | RestrictFlags.Kod | RestrictFlags.Version | RestrictFlags.NtpPort | RestrictFlags.NoTrust
                | RestrictFlags.NoServe | RestrictFlags.LowPriorityTrap | RestrictFlags.NoMruList,
            network.Flags);
    }

    [Fact]
    public void Parse_InterfaceLines_KeepRulesInOrder()
    {
        NtpConfig config = ParseClean("interface ignore wildcard\nnic listen eth0\ninterface drop 10.0.0.0/8\ninterface listen fe80::1\ninterface ignore ipv6\ninterface listen eth0:1");

        Assert.Equal(
            [
                new InterfaceRule(InterfaceAction.Ignore, InterfaceMatch.Wildcard, null, null, null, 1),
                new InterfaceRule(InterfaceAction.Listen, InterfaceMatch.Name, "eth0", null, null, 2),
                new InterfaceRule(InterfaceAction.Drop, InterfaceMatch.Address, null, IPAddress.Parse("10.0.0.0"), 8, 3),
                new InterfaceRule(InterfaceAction.Listen, InterfaceMatch.Address, null, IPAddress.Parse("fe80::1"), null, 4),
                new InterfaceRule(InterfaceAction.Ignore, InterfaceMatch.IPv6, null, null, null, 5),
                new InterfaceRule(InterfaceAction.Listen, InterfaceMatch.Name, "eth0:1", null, null, 6),
            ],
            config.InterfaceRules);
    }

    [Fact]
    public void Parse_CommentsQuotesAndBlankLines_AreHandledLikeNtpd()
    {
        const string Text = "\uFEFF# comment line\n\n   \t\ndriftfile \"/var/lib/ntp dir/ntp.drift\"# trailing\nlogfile /var/log/ntp#1.log\r\n";

        NtpConfig config = ParseClean(Text);

        Assert.Equal("/var/lib/ntp dir/ntp.drift", config.DriftFile);
        Assert.Equal("/var/log/ntp", config.LogFile);
    }

    [Fact]
    public void Parse_EndDirective_StopsReading()
    {
        NtpConfig config = ParseClean("server 192.0.2.1\nend\nsever garbage");

        Assert.Single(config.Associations);
    }

    [Fact]
    public void Parse_IncludeFile_ResolvesRelativeToIncludingFile()
    {
        var files = new InMemoryIncludeSource(new()
        {
            ["/etc/ntp.d/servers.conf"] = "server 192.0.2.1 iburst\nincludefile local/clock.conf",
            ["/etc/ntp.d/local/clock.conf"] = "server 127.127.1.0\nfudge 127.127.1.0 stratum 10",
            ["/etc/ntp.d/abs.conf"] = "driftfile /var/lib/ntp/ntp.drift",
        });

        ConfigParseResult result = ConfigParser.Parse("includefile ntp.d/servers.conf\nincludefile /etc/ntp.d/abs.conf", "/etc/ntp.conf", files);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["/etc/ntp.d/servers.conf", "/etc/ntp.d/local/clock.conf", "/etc/ntp.d/abs.conf"], files.Reads);
        Assert.Single(result.Config.Associations);
        Assert.Equal((byte?)10, Assert.Single(result.Config.RefClocks).Stratum);
        Assert.Equal("/var/lib/ntp/ntp.drift", result.Config.DriftFile);
    }

    [Fact]
    public void Parse_SameFileIncludedTwiceInSequence_IsNotACycle()
    {
        var files = new InMemoryIncludeSource(new() { ["/etc/common.conf"] = "restrict 127.0.0.1" });

        ConfigParseResult result = ConfigParser.Parse("includefile common.conf\nincludefile common.conf", "/etc/ntp.conf", files);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(2, result.Config.Restrictions.Count);
    }

    [Fact]
    public void Parse_EmptyText_GivesEmptyConfig()
    {
        ConfigParseResult result = ConfigParser.Parse("", "ntp.conf");

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Config.Associations);
        Assert.Equal(SystemOptions.Default, result.Config.System);
    }

    private static NtpConfig ParseClean(string text)
    {
        ConfigParseResult result = ConfigParser.Parse(text, "ntp.conf");
        Assert.Empty(result.Diagnostics);
        return result.Config;
    }
}
