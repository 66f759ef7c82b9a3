// Golden outputs of every ntpq command against our ntpd in a known state (GoldenDaemons: local
// clock at stratum 10 as system peer, restrict default noquery + restrict 127.0.0.1). The whole
// stdout and stderr are compared after GoldenMask hides only what varies between runs. reslist's
// hits depend on every packet the daemon has seen, so that test starts a daemon of its own.
using System.Net;
using System.Net.Sockets;
using Stratum.Tools.Ntpq;

namespace Stratum.Cli.Tests.Ntpq;

public sealed class NtpqCommandGoldenTests(GoldenDaemons daemons) : IClassFixture<GoldenDaemons>
{
    private const string PeersLine = "*LOCAL(0)        .LOCL.          10 l WHEN   64    1    0.000    0.000   0.000\n";

    private (string Stdout, string Stderr) Ntpq(params string[] commands) => Ntpq(daemons.Mode7Port, commands);

    private static (string Stdout, string Stderr) Ntpq(int port, params string[] commands)
    {
        var arguments = new List<string>();
        foreach (string command in commands)
        {
            arguments.Add("-c");
            arguments.Add(command);
        }

        arguments.Add("127.0.0.1");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = NtpqCli.Run([.. arguments], stdout, stderr, NtpqEnvironment.Default with { Port = port, Zone = TimeZoneInfo.Utc });
        Assert.Equal(0, exit);
        return (GoldenMask.Apply(stdout.ToString()), stderr.ToString());
    }

    private void AssertOutput(string expected, params string[] commands) => AssertOutputFrom(daemons.Mode7Port, expected, commands);

    private static void AssertOutputFrom(int port, string expected, params string[] commands)
    {
        (string stdout, string stderr) = Ntpq(port, commands);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(expected, stdout);
    }

    [Theory]
    [InlineData("peers")]
    [InlineData("lpeers")]
    public void Peers_ShowLocalClockAsSystemPeer(string command) =>
        AssertOutput(PeersTable.Header + PeersLine, command);

    [Fact]
    public void OldPeers_ShowLocalAddressAndDispersion() => AssertOutput(
        "     remote           local      st t when poll reach   delay   offset    disp\n"
        + "==============================================================================\n"
        + "*LOCAL(0)        0.0.0.0         10 l WHEN   64    1    0.000    0.000   0.000\n", "opeers");

    [Fact]
    public void AssociationPeers_ShowAssociationId() => AssertOutput(
        "     remote       refid   assid  st t when poll reach   delay   offset  jitter\n"
        + "==============================================================================\n"
        + "*LOCAL(0)        .LOCL.   1      10 l WHEN   64    1    0.000    0.000   0.000\n", "apeers");

    [Theory]
    [InlineData("associations")]
    [InlineData("lassociations")]
    public void Associations_ListTheLocalClock(string command) => AssertOutput(
        "\nind assid status  conf reach auth condition  last_event cnt\n"
        + "===========================================================\n"
        + "  1     1  961a   yes   yes  none  sys.peer    sys_peer  1\n", command);

    [Fact]
    public void PrintAssociations_ReusesTheLastList() => AssertOutput(
        "\nind assid status  conf reach auth condition  last_event cnt\n"
        + "===========================================================\n"
        + "  1     1  961a   yes   yes  none  sys.peer    sys_peer  1\n"
        + "\nind assid status  conf reach auth condition  last_event cnt\n"
        + "===========================================================\n"
        + "  1     1  961a   yes   yes  none  sys.peer    sys_peer  1\n", "as", "passociations");

    [Fact]
    public void ReadVar_Peer_PrintsEveryPeerVariable() => AssertOutput(
        "associd=1 status=961a conf, reach, sel_sys.peer, 1 event, sys_peer,\n"
        + "srcadr=LOCAL(0), srcport=123, dstadr=0.0.0.0, dstport=0, leap=00,\n"
        + "stratum=10, precision=-PP, rootdelay=0.000, rootdisp=ROOTDISP, refid=LOCL,\n"
        + "reftime=DATE,\n"
        + "rec=DATE, reach=001,\n"
        + "unreach=0, hmode=3, pmode=4, hpoll=6, ppoll=6, headway=0, flash=00 ok,\n"
        + "keyid=0, offset=0.000, delay=0.000, dispersion=0.000, jitter=0.000,\n"
        + "xleave=0.000, filtdelay=0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00,\n"
        + "filtoffset=0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00,\n"
        + "filtdisp=0.00 16000.00 16000.00 16000.00 16000.00 16000.00 16000.00 16000.00\n", "rv 1");

    [Fact]
    public void ReadVar_NamedVariables_PrintsNoStatusLine() =>
        AssertOutput("stratum=11, refid=LOCAL(0)\nstratum=10, refid=LOCL, reach=001\n", "rv 0 stratum,refid", "rv 1 stratum refid reach");

    [Theory]
    [InlineData("cv")]
    [InlineData("clockvar 1")]
    public void ClockVar_ShowsLocalClockDriverVariables(string command) => AssertOutput(
        $"associd={(command == "cv" ? 0 : 1)} status=0000 clk_unspec, last_clk_unspec,\n"
        + "device=\"Undisciplined local clock\", timecode=\"\", poll=1, noreply=0,\n"
        + "badformat=0, baddata=0, fudgetime1=0.000, fudgetime2=0.000, stratum=10,\n"
        + "refid=LOCL, flags=0\n", command);

    [Fact]
    public void PeerStatus_PrintsStatusWord() =>
        AssertOutput("associd=1 status=961a conf, reach, sel_sys.peer, 1 event, sys_peer,\n", "pstatus 1");

    [Fact]
    public void PeerStats_PrintsCounters() => AssertOutput(
        "associd=1 status=961a conf, reach, sel_sys.peer, 1 event, sys_peer,\n"
        + "remote host:           LOCAL(0)\n"
        + "local address:         0.0.0.0:0\n"
        + "time last received:    0\n"
        + "time until next send:  0\n"
        + "reachability change:   0\n"
        + "packets sent:          N\n"
        + "packets received:      N\n"
        + "bad authentication:    0\n"
        + "bogus origin:          0\n"
        + "duplicate:             0\n"
        + "bad dispersion:        0\n"
        + "bad reference time:    0\n"
        + "candidate order:       0\n", "pstats 1");

    [Fact]
    public void SysInfo_PrintsSystemSummary() => AssertOutput(
        "associd=0 status=0515 leap_none, sync_local, 1 event, clock_sync,\n"
        + "system peer:        LOCAL(0)\n"
        + "system peer mode:   client\n"
        + "leap indicator:     00\n"
        + "stratum:            11\n"
        + "log2 precision:     -PP\n"
        + "root delay:         0.000\n"
        + "root dispersion:    ROOTDISP\n"
        + "reference ID:       127.127.1.0\n"
        + "reference time:     DATE\n"
        + "system jitter:      0.000000\n"
        + "clock jitter:       0.001\n"
        + "clock wander:       0.000\n"
        + "broadcast delay:    0.000\n"
        + "symm. auth. delay:  0.000\n", "sysinfo");

    [Fact]
    public void SysStats_PrintsPacketCounts() => AssertOutput(
        "uptime:                 N\n"
        + "sysstats reset:         N\n"
        + "packets received:       N\n"
        + "current version:        N\n"
        + "older version:          0\n"
        + "bad length or format:   0\n"
        + "authentication failed:  0\n"
        + "declined:               0\n"
        + "restricted:             0\n"
        + "rate limited:           0\n"
        + "KoD responses:          0\n"
        + "processed for time:     0\n", "sysstats");

    [Fact]
    public void KernInfo_ReadsZeroWithoutKernelLoop() => AssertOutput(
        "associd=0 status=0515 leap_none, sync_local, 1 event, clock_sync,\n"
        + "pll offset:            0\n"
        + "pll frequency:         0\n"
        + "maximum error:         0\n"
        + "estimated error:       0\n"
        + "kernel status:         \n"
        + "pll time constant:     0\n"
        + "precision:             0\n"
        + "frequency tolerance:   0\n"
        + "pps frequency:         0\n"
        + "pps stability:         0\n"
        + "pps jitter:            0\n"
        + "calibration interval   0\n"
        + "calibration cycles:    0\n"
        + "jitter exceeded:       0\n"
        + "stability exceeded:    0\n"
        + "calibration errors:    0\n", "kerninfo");

    [Fact]
    public void IoStats_PrintsInputOutputCounters() => AssertOutput(
        "time since reset:       N\n"
        + "receive buffers:        0\n"
        + "free receive buffers:   0\n"
        + "used receive buffers:   0\n"
        + "low water refills:      0\n"
        + "dropped packets:        0\n"
        + "ignored packets:        N\n"
        + "received packets:       N\n"
        + "packets sent:           N\n"
        + "packet send failures:   0\n"
        + "input wakeups:          N\n"
        + "useful input wakeups:   N\n", "iostats");

    [Fact]
    public void IfStats_CountsTheQueriesThatArrived()
    {
        // Unmasked: the 127.0.0.1 row has received and answered at least the two queries before this one
        // (whether the ifstats request itself is counted before the list is written is not asserted).
        var stdout = new StringWriter();
        Assert.Equal(0, NtpqCli.Run(["-c", "rv", "-c", "rv", "-c", "keyid 1", "-c", "passwd secretpw", "-c", "ifstats", "127.0.0.1"], stdout, new StringWriter(),
            NtpqEnvironment.Default with { Port = daemons.ControlKeyPort, Zone = TimeZoneInfo.Utc }));
        string row = stdout.ToString().Split('\n').Single(line => line.StartsWith("  0 lo", StringComparison.Ordinal));
        string[] columns = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(long.Parse(columns[6], System.Globalization.CultureInfo.InvariantCulture) >= 2, row);
        Assert.True(long.Parse(columns[7], System.Globalization.CultureInfo.InvariantCulture) >= 2, row);
        Assert.Equal("0", columns[8]);
    }

    [Fact]
    public void AuthInfo_MonStats_TimerStats_PrintTheirTables() => AssertOutput(
        "time since reset:  N\n"
        + "stored keys:       0\nfree keys:         0\nkey lookups:       0\nkeys not found:    0\nuncached keys:     0\nexpired keys:      0\nencryptions:       0\ndecryptions:       0\n"
        + "enabled:              1\naddresses:            1\npeak addresses:       1\nmaximum addresses:    8192\nreclaim above count:  600\nreclaim older than:   64\nkilobytes:            1\nmaximum kilobytes:    1024\n"
        + "time since reset:    N\ntimer overruns:      0\ncalls to transmit:   0\n", "authinfo", "monstats", "timerstats");

    [Fact]
    public void IfStats_ListsTheListeningSockets() => AssertOutputFrom(daemons.ControlKeyPort,
        "    interface name                                        send\n"
        + " #  address/broadcast     drop flag ttl mc received sent failed peers   uptime\n"
        + "==============================================================================\n"
        + "  0 lo                       .    5   0  0 RX TX      0     0 UP\n"
        + "    127.0.0.1:PORT\n"
        + "  1 lo                       .    5   0  0 RX TX      0     0 UP\n"
        + "    [::1]:PORT\n", [.. TestDaemon.ControlKeyCommands, "ifstats"]);

    /// <summary>A fresh daemon, so the hits are exact: three time requests and two mode 6 requests
    /// from 127.0.0.1 (rv, then reslist itself, counted before the list is written) land on the
    /// 127.0.0.1 entry; nothing reaches the defaults or this host's interface entries (ntpd's
    /// "ntpport interface ignore", listed after the configured lines).</summary>
    [Fact]
    public void ResList_ListsTheRestrictLinesWithTheirHits()
    {
        using var daemon = new TestDaemon(TestDaemon.WithControlKey(TestDaemon.LocalClockConfig));
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            client.ReceiveTimeout = 5000;
            var request = new byte[48];
            request[0] = 0x23;
            var reply = new byte[128];
            for (int i = 0; i < 3; i++)
            {
                client.SendTo(request, new IPEndPoint(IPAddress.Loopback, daemon.Port));
                Assert.Equal(48, client.Receive(reply));
            }
        }

        (string stdout, string stderr) = Ntpq(daemon.Port, ["rv 0 stratum", .. TestDaemon.ControlKeyCommands, "reslist"]);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(
            "stratum=11\n"
            + "   hits    addr/prefix or addr mask\n"
            + "           restrictions\n"
            + "==============================================================================\n"
            + "         0 0.0.0.0/0\n"
            + "           noquery nomodify nopeer notrap kod\n"
            + "         0 ::/0\n"
            + "           noquery nomodify nopeer notrap kod\n"
            + "         5 127.0.0.1/32\n"
            + "           \n"
            + "         0 127.0.0.1/32\n"
            + "           ntpport interface ignore\n"
            + "         0 ::1/128\n"
            + "           ntpport interface ignore\n", stdout);
    }

    [Fact]
    public void Builtins_Timeout_Host_Version_Raw_Cooked() => AssertOutput(
        "primary timeout 5000 ms\n"
        + "current host is 127.0.0.1\n"
        + "ntpq Stratum 0.1.0 (ntpd 4.2.8 compatible)\n"
        + "Output set to raw\n"
        + "stratum=11\n"
        + "Output set to cooked\n", "timeout", "host", "version", "raw", "rv 0 stratum", "cooked");

    [Fact]
    public void Help_ListsCommandsInColumns() => AssertOutput(
        "ntpq commands:\n"
        + ":config          drefid           mreadlist        readlist         \n"
        + "addvars          exit             mreadvar         readvar          \n"
        + "apeers           help             mrl              reslist          \n"
        + "associations     host             mrulist          rl               \n"
        + "authenticate     hostnames        mrv              rmvars           \n"
        + "authinfo         ifstats          ntpversion       rv               \n"
        + "cl               iostats          opeers           saveconfig       \n"
        + "clearvars        kerninfo         passociations    showvars         \n"
        + "clocklist        keyid            passwd           sysinfo          \n"
        + "clockvar         keytype          peers            sysstats         \n"
        + "config-from-file lassociations    poll             timeout          \n"
        + "cooked           lopeers          pstats           timerstats       \n"
        + "cv               lpassociations   pstatus          version          \n"
        + "debug            lpeers           quit             writelist        \n"
        + "delay            monstats         raw              writevar         \n"
        + "function: read system or peer variables\n"
        + "usage: readvar [ assocID ] [ varname1 ] [ varname2 ] [ varname3 ]\n", "help", "help readvar");

    [Fact]
    public void AssociationIndex_NamesTheNthAssociation_FetchingTheListFirst()
    {
        (string byIndex, string indexErrors) = Ntpq("rv &1 srcadr,stratum", "rv &5 srcadr,stratum");
        (string byId, _) = Ntpq("rv 1 srcadr,stratum", "rv 1 srcadr,stratum");
        Assert.Equal(string.Empty, indexErrors);
        Assert.Equal(byId, byIndex);

        (_, string errors) = Ntpq("rv &0", "rv &x", "pstats &");
        Assert.Equal(
            "***Association index `&0' invalid/undecodable\n"
            + "***Association index `&x' invalid/undecodable\n"
            + "***Association index `&' invalid/undecodable\n",
            errors);
    }

    [Fact]
    public void Redirection_SendsTheOutputToAFile()
    {
        string directory = Directory.CreateTempSubdirectory("stratum-ntpq-redirect-").FullName;
        try
        {
            string first = Path.Combine(directory, "peers.txt");
            string second = Path.Combine(directory, "rv.txt");
            (string stdout, string stderr) = Ntpq($"peers >{first}", $"rv 0 stratum > {second}", "rv 0 stratum >", $"rv 0 >{directory}/missing/x");
            Assert.Equal(string.Empty, stdout);
            Assert.StartsWith("***No file for redirect\n***Error opening " + directory + "/missing/x: ", stderr, StringComparison.Ordinal);
            Assert.Equal(PeersTable.Header + PeersLine, GoldenMask.Apply(File.ReadAllText(first)));
            Assert.Equal("stratum=11\n", File.ReadAllText(second));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Builtins_DelayNtpversionDrefidPoll_AsNtpq428()
    {
        (string stdout, string stderr) = Ntpq("delay", "delay 15", "delay", "ntpversion", "ntpversion 3", "ntpversion", "ntpversion 7",
            "drefid", "drefid hash", "drefid", "drefid x", "poll");
        Assert.Equal(
            "delay 0 ms\n"
            + "delay 15 ms\n"
            + "NTP version being claimed is 2\n"
            + "NTP version being claimed is 3\n"
            + "drefid value is ipv4\n"
            + "drefid value set to hash\n"
            + "drefid value is hash\n"
            + "What?\n"
            + "poll not implemented yet\n",
            stdout);
        Assert.Equal("versions 1 to 4, please\n", stderr);
    }

    [Fact]
    public void Errors_UnknownCommandAssociationAndVariable_UseNtpqWording()
    {
        (string stdout, string stderr) = Ntpq("bogus", "rv 9", "rv 0 nosuchvar", "cv 0 nosuchvar", "pstats", "re");
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(
            "***Command `bogus' unknown\n"
            + "***Association ID 9 unknown to server\n"
            + "***A request variable unknown to the server\n"
            + "***A request variable unknown to the server\n"
            + "***Command requires an association ID\n"
            + "***Command `re' ambiguous\n",
            stderr);
    }

    [Fact]
    public void Interactive_ReadsCommandsAfterThePrompt()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        NtpqEnvironment environment = NtpqEnvironment.Default with
        {
            Port = daemons.Mode7Port,
            Zone = TimeZoneInfo.Utc,
            Input = new StringReader("rv 0 stratum\nassociations\nquit\nrv 0 refid\n"),
        };
        int exit = NtpqCli.Run(["127.0.0.1"], stdout, stderr, environment);
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr.ToString());
        Assert.Equal(
            "ntpq> stratum=11\n"
            + "ntpq> \nind assid status  conf reach auth condition  last_event cnt\n"
            + "===========================================================\n"
            + "  1     1  961a   yes   yes  none  sys.peer    sys_peer  1\n"
            + "ntpq> ",
            stdout.ToString());
    }
}
