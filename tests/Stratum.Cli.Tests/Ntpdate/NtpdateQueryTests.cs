// ntpdate -q (and the query half of every run) in-process against fake servers: whole-output
// goldens for one server, several servers where the best wins, no answer, a RATE kiss, an unknown
// host name, syslog routing with -s, and the source-port choice.
using Stratum.Client.Transport;
using Stratum.Core.Wire;
using Stratum.Tools.Ntpdate;

namespace Stratum.Cli.Tests.Ntpdate;

public class NtpdateQueryTests
{
    [Fact]
    public void Query_OneServer_PrintsServerLineAndAdjustSummary()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20") { Stratum = 11, ClockOffsetSeconds = -0.000012 });

        var (exit, stdout, stderr) = world.Run("-q", "127.0.0.20");

        Assert.Equal(0, exit);
        Assert.Equal(
            "server 127.0.0.20, stratum 11, offset -0.000012, delay 0.02602\n" +
            "23 Nov 07:40:00 ntpdate[4242]: adjust time server 127.0.0.20 offset -0.000012 sec\n",
            stdout);
        Assert.Equal(string.Empty, stderr);
        Assert.Empty(world.Clock.Steps);
        Assert.Empty(world.Clock.Slews);
        Assert.Single(world.Network!.Requests["127.0.0.20"]);
    }

    [Fact]
    public void Query_PositiveOffset_HasPlusSign()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20") { ClockOffsetSeconds = 0.25 });

        var (_, stdout, _) = world.Run("-q", "127.0.0.20");

        Assert.Equal(
            "server 127.0.0.20, stratum 2, offset +0.250000, delay 0.02602\n" +
            "23 Nov 07:40:00 ntpdate[4242]: adjust time server 127.0.0.20 offset +0.250000 sec\n",
            stdout);
    }

    [Fact]
    public void Query_LargeOffset_SaysStepButDoesNotStep()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20") { ClockOffsetSeconds = -3.0 });

        var (exit, stdout, _) = world.Run("-q", "127.0.0.20");

        Assert.Equal(0, exit);
        Assert.EndsWith("23 Nov 07:40:00 ntpdate[4242]: step time server 127.0.0.20 offset -3.000000 sec\n", stdout);
        Assert.Empty(world.Clock.Steps);
    }

    [Fact]
    public void Query_SeveralServers_BestStratumWins_SilentAndUnsynchronizedAreNot()
    {
        var world = new FakeNtpdateWorld(
            new FakeServer("127.0.0.20") { Stratum = 3, ClockOffsetSeconds = 0.001 },
            new FakeServer("127.0.0.21") { Stratum = 2, ClockOffsetSeconds = -0.0005, OneWayDelaySeconds = 0.002 },
            new FakeServer("127.0.0.22") { Stratum = 1, Leap = LeapIndicator.Unsynchronized, ClockOffsetSeconds = 0.3 },
            new FakeServer("127.0.0.23") { Silent = true });

        var (exit, stdout, stderr) = world.Run("-q", "127.0.0.20", "127.0.0.21", "127.0.0.22", "127.0.0.23");

        Assert.Equal(0, exit);
        Assert.Equal(
            "server 127.0.0.20, stratum 3, offset +0.001000, delay 0.02602\n" +
            "server 127.0.0.21, stratum 2, offset -0.000500, delay 0.02962\n" +
            "server 127.0.0.22, stratum 1, offset +0.300000, delay 0.02602\n" +
            "23 Nov 07:40:02 ntpdate[4242]: adjust time server 127.0.0.21 offset -0.000500 sec\n",
            stdout);
        Assert.Equal(string.Empty, stderr);
    }

    [Fact]
    public void Query_NameWithSeveralAddresses_QueriesEach()
    {
        var world = new FakeNtpdateWorld(
            new FakeServer("127.0.0.20") { Stratum = 3 },
            new FakeServer("127.0.0.21") { Stratum = 2 })
            .WithName("pool.test", "127.0.0.20", "127.0.0.21");

        var (exit, stdout, _) = world.Run("-q", "pool.test");

        Assert.Equal(0, exit);
        Assert.Contains("server 127.0.0.20, stratum 3,", stdout);
        Assert.Contains("adjust time server 127.0.0.21 offset", stdout);
    }

    [Fact]
    public void Query_NoAnswer_ExitsOneWithNoServerSuitable()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20") { Silent = true });

        var (exit, stdout, stderr) = world.Run("-q", "127.0.0.20");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("23 Nov 07:40:02 ntpdate[4242]: no server suitable for synchronization found\n", stderr);
    }

    [Fact]
    public void Set_NoAnswer_TriesFourTimesThenGivesUp()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20") { Silent = true });

        var (exit, stdout, stderr) = world.Run("127.0.0.20");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("23 Nov 07:40:08 ntpdate[4242]: no server suitable for synchronization found\n", stderr);
        Assert.Equal(4, world.Network!.Requests["127.0.0.20"].Count);
        Assert.Empty(world.Clock.Steps);
        Assert.Empty(world.Clock.Slews);
    }

    [Fact]
    public void Query_RateKiss_LogsRateLimitAndFindsNoServer()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20") { Kiss = KissCode.Rate });

        var (exit, stdout, stderr) = world.Run("-q", "-p", "4", "127.0.0.20");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(
            "23 Nov 07:40:00 ntpdate[4242]: 127.0.0.20 rate limit response from server.\n" +
            "23 Nov 07:40:00 ntpdate[4242]: no server suitable for synchronization found\n",
            stderr);
        Assert.Single(world.Network!.Requests["127.0.0.20"]);
    }

    [Fact]
    public void Query_DenyKiss_ServerPrintedAsStratum16AndNotUsed()
    {
        var world = new FakeNtpdateWorld(
            new FakeServer("127.0.0.20") { Kiss = KissCode.Deny },
            new FakeServer("127.0.0.21") { Stratum = 4, ClockOffsetSeconds = 0.002 });

        var (exit, stdout, _) = world.Run("-q", "127.0.0.20", "127.0.0.21");

        Assert.Equal(0, exit);
        Assert.Equal(
            "server 127.0.0.20, stratum 16, offset +0.000000, delay 0.00000\n" +
            "server 127.0.0.21, stratum 4, offset +0.002000, delay 0.02602\n" +
            "23 Nov 07:40:00 ntpdate[4242]: adjust time server 127.0.0.21 offset +0.002000 sec\n",
            stdout);
    }

    [Fact]
    public void Query_UnknownHost_ReportsItAndUsesTheOthers()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20") { ClockOffsetSeconds = 0.000125 });

        var (exit, stdout, stderr) = world.Run("-q", "no.such.host", "127.0.0.20");

        Assert.Equal(0, exit);
        Assert.Equal(
            "Error resolving no.such.host: Name or service not known (-2)\n" +
            "23 Nov 07:40:00 ntpdate[4242]: Can't find host no.such.host: Name or service not known (-2)\n",
            stderr);
        Assert.Equal(
            "server 127.0.0.20, stratum 2, offset +0.000125, delay 0.02602\n" +
            "23 Nov 07:40:00 ntpdate[4242]: adjust time server 127.0.0.20 offset +0.000125 sec\n",
            stdout);
    }

    [Fact]
    public void Query_OnlyUnknownHosts_NoServersCanBeUsed()
    {
        var world = new FakeNtpdateWorld();

        var (exit, stdout, stderr) = world.Run("-q", "no.such.host");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.EndsWith("23 Nov 07:40:00 ntpdate[4242]: no servers can be used, exiting\n", stderr);
        Assert.Null(world.Network);
    }

    [Fact]
    public void Query_IPv6OnlyWithIPv4Server_IsAFamilyError()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20"));

        var (exit, _, stderr) = world.Run("-q6", "127.0.0.20");

        Assert.Equal(1, exit);
        Assert.StartsWith("Error resolving 127.0.0.20: Address family for hostname not supported (-9)\n", stderr);
    }

    [Fact]
    public void Query_IPv4OnlyWithIPv6Server_IsAFamilyError()
    {
        var world = new FakeNtpdateWorld(new FakeServer("::1"));

        var (exit, _, stderr) = world.Run("-q4", "::1");

        Assert.Equal(1, exit);
        Assert.StartsWith("Error resolving ::1: Address family for hostname not supported (-9)\n", stderr);
        Assert.Null(world.Network);
    }

    [Fact]
    public void Query_IPv4Only_QueriesOnlyTheIPv4AddressesOfAName()
    {
        var world = new FakeNtpdateWorld(
            new FakeServer("127.0.0.20") { Stratum = 3 },
            new FakeServer("::1") { Stratum = 1 })
            .WithName("dual.test", "::1", "127.0.0.20");

        var (exit, stdout, _) = world.Run("-4", "-q", "dual.test");

        Assert.Equal(0, exit);
        Assert.Equal(
            "server 127.0.0.20, stratum 3, offset +0.000000, delay 0.02602\n" +
            "23 Nov 07:40:00 ntpdate[4242]: adjust time server 127.0.0.20 offset +0.000000 sec\n",
            stdout);
        Assert.Equal(["127.0.0.20"], world.Network!.Requests.Keys);
        Assert.True(world.OpenRequest!.AllowIPv4);
        Assert.False(world.OpenRequest.AllowIPv6);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    [InlineData("3")]
    [InlineData("4")]
    public void Query_VersionOption_IsTheVersionOfEveryRequest(string version)
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20") { ClockOffsetSeconds = 0.001 });

        var (exit, stdout, _) = world.Run("-q", "-p2", "-o", version, "127.0.0.20");

        Assert.Equal(0, exit);
        List<byte[]> requests = world.Network!.RequestDatagrams["127.0.0.20"];
        Assert.Equal(2, requests.Count);
        Assert.All(requests, request =>
        {
            NtpHeader header = NtpHeader.Read(request);
            Assert.Equal(byte.Parse(version, System.Globalization.CultureInfo.InvariantCulture), header.Version);
            Assert.Equal(NtpMode.Client, header.Mode);
            Assert.Equal(NtpHeader.Size, request.Length);
        });
        Assert.StartsWith("server 127.0.0.20, stratum 2, offset +0.001000, delay 0.02602\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_IPv6Server_Works()
    {
        var world = new FakeNtpdateWorld(new FakeServer("::1") { Stratum = 5, ClockOffsetSeconds = 0.00003 });

        var (exit, stdout, _) = world.Run("-6q", "::1");

        Assert.Equal(0, exit);
        Assert.StartsWith("server ::1, stratum 5, offset +0.000030, delay 0.02602\n", stdout);
        Assert.False(world.OpenRequest!.AllowIPv4);
    }

    [Fact]
    public void Query_Syslog_SendsSummaryToSyslogNotTerminal()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20") { ClockOffsetSeconds = 0.004 });

        var (exit, stdout, stderr) = world.Run("-qs", "127.0.0.20");

        Assert.Equal(0, exit);
        Assert.Equal("server 127.0.0.20, stratum 2, offset +0.004000, delay 0.02602\n", stdout);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal([(SyslogSeverity.Notice, "adjust time server 127.0.0.20 offset +0.004000 sec")], world.Syslog.Messages);
    }

    [Theory]
    [InlineData(new[] { "-q", "127.0.0.20" }, false)]
    [InlineData(new[] { "-d", "127.0.0.20" }, false)]
    [InlineData(new[] { "-u", "127.0.0.20" }, false)]
    [InlineData(new[] { "127.0.0.20" }, true)]
    public void Run_BindsPort123OnlyWhenSettingTheClockWithoutU(string[] args, bool bindsNtpPort)
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20"));

        world.Run(args);

        Assert.Equal(bindsNtpPort, world.OpenRequest!.BindNtpPort);
        Assert.True(world.Network!.Disposed);
    }

    [Fact]
    public void Set_Port123InUse_ExitsWithClassicMessage()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20"))
        {
            OpenFailure = new TransportError(TransportErrorKind.AddressInUse, "Address already in use"),
        };

        var (exit, stdout, stderr) = world.Run("127.0.0.20");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("23 Nov 07:40:00 ntpdate[4242]: the NTP socket is in use, exiting\n", stderr);
    }

    [Fact]
    public void Set_Port123NotPermitted_ReportsBindFailure()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20"))
        {
            OpenFailure = new TransportError(TransportErrorKind.PermissionDenied, "Permission denied"),
        };

        var (exit, _, stderr) = world.Run("127.0.0.20");

        Assert.Equal(1, exit);
        Assert.Equal("23 Nov 07:40:00 ntpdate[4242]: bind() fails: Permission denied\n", stderr);
    }

    [Fact]
    public void Query_SamplesOption_SendsThatManyRequestsTwoSecondsApart()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20"));

        var (exit, _, _) = world.Run("-qp3", "127.0.0.20");

        Assert.Equal(0, exit);
        var arrivals = world.Network!.Requests["127.0.0.20"];
        Assert.Equal(3, arrivals.Count);
        Assert.All(arrivals.Zip(arrivals.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, 2_000_000_000, 2_001_000_000));
    }

    [Fact]
    public void Query_ShortTimeout_IsRaisedToOneSecond()
    {
        var world = new FakeNtpdateWorld(new FakeServer("127.0.0.20") { Silent = true });

        var (_, _, stderr) = world.Run("-q", "-t", "0.3", "127.0.0.20");

        Assert.Equal("23 Nov 07:40:01 ntpdate[4242]: no server suitable for synchronization found\n", stderr);
    }
}
