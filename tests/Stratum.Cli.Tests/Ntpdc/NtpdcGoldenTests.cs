// Golden outputs of every ntpdc command against our ntpd in a known state (GoldenDaemons), once
// over mode 7 (the daemon with `enable mode7`) and once over the mode 6 fallback (the daemon
// without it): the same masked text both ways. The sysinfo fields are those of the guides.
using Stratum.Cli.Tests.Ntpq;
using Stratum.Tools.Ntpdc;

namespace Stratum.Cli.Tests.Ntpdc;

public sealed class NtpdcGoldenTests(GoldenDaemons daemons) : IClassFixture<GoldenDaemons>
{
    private const string SysInfo =
        "system peer:          LOCAL(0)\n"
        + "system peer mode:     client\n"
        + "leap indicator:       00\n"
        + "stratum:              11\n"
        + "precision:            -PP\n"
        + "root distance:        0.00000 s\n"
        + "root dispersion:      ROOTDISP s\n"
        + "reference ID:         [127.127.1.0]\n"
        + "reference time:       DATE\n"
        + "system flags:         auth monitor stats \n"
        + "jitter:               0.000000 s\n"
        + "stability:            0.000 ppm\n"
        + "broadcastdelay:       0.000000 s\n"
        + "authdelay:            0.000000 s\n";

    private const string Peers =
        "     remote           local      st poll reach  delay   offset    disp\n"
        + "=======================================================================\n"
        + "*LOCAL(0)        0.0.0.0         10   64    1 0.00000  0.000000 0.00000\n";

    private const string ShowPeer =
        "remote 127.127.1.0, local 0.0.0.0\n"
        + "hmode client, pmode server, stratum 10, precision -PP\n"
        + "leap 00, refid [76.79.67.76], rootdistance 0.00000, rootdispersion 0.00000\n"
        + "ppoll 6, hpoll 6, keyid 0, version 4, association 1\n"
        + "reach 001, unreach 0, flash 0x0000, boffset 0.00000, ttl/mode 0\n"
        + "timer 0s, flags system_peer, config, refclock, candidate, shortlist\n"
        + "reference time:      DATE\n"
        + "originate timestamp: (no time)\n"
        + "receive timestamp:   DATE\n"
        + "transmit timestamp:  (no time)\n"
        + "filter delay:  0.00000  0.00000  0.00000  0.00000 \n"
        + "               0.00000  0.00000  0.00000  0.00000 \n"
        + "filter offset: 0.000000 0.000000 0.000000 0.000000\n"
        + "               0.000000 0.000000 0.000000 0.000000\n"
        + "filter order:  0        1        2        3       \n"
        + "               4        5        6        7       \n"
        + "offset 0.000000, delay 0.00000, error bound 0.00000, filter error 0.00000\n";

    private string Ntpdc(bool mode7, params string[] commands)
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
        NtpdcEnvironment environment = NtpdcEnvironment.Default with
        {
            Port = mode7 ? daemons.Mode7Port : daemons.Mode6OnlyPort,
            Zone = TimeZoneInfo.Utc,
            Mode7ProbeTimeoutNanoseconds = 300_000_000,
        };
        int exit = NtpdcCli.Run([.. arguments], stdout, stderr, environment);
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr.ToString());
        return GoldenMask.Apply(stdout.ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SysInfo_PrintsTheGuidesFields(bool mode7) => Assert.Equal(SysInfo, Ntpdc(mode7, "sysinfo"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Peers_And_DmPeers_ListTheLocalClock(bool mode7) => Assert.Equal(Peers + Peers, Ntpdc(mode7, "peers", "dmpeers"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ListPeers_PrintsModeAndName(bool mode7)
    {
        Assert.Equal("client    LOCAL(0)\n", Ntpdc(mode7, "listpeers"));
        Assert.Equal("client    127.127.1.0\n", NumericListPeers(mode7));
    }

    private string NumericListPeers(bool mode7)
    {
        var stdout = new StringWriter();
        NtpdcCli.Run(["-n", "-l", "127.0.0.1"], stdout, new StringWriter(), NtpdcEnvironment.Default with
        {
            Port = mode7 ? daemons.Mode7Port : daemons.Mode6OnlyPort,
            Mode7ProbeTimeoutNanoseconds = 300_000_000,
        });
        return stdout.ToString();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ShowPeer_PrintsTheAssociationDetail(bool mode7) => Assert.Equal(ShowPeer, Ntpdc(mode7, "showpeer 127.127.1.0"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LoopInfo_BothForms(bool mode7) => Assert.Equal(
        "offset:               0.000000 s\nfrequency:            0.000 ppm\npoll adjust:          6\nwatchdog timer:       N s\n"
        + "offset 0.000000, frequency 0.000, time_const 6, watchdog N\n", Ntpdc(mode7, "loopinfo", "loopinfo oneline"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SysStats_PrintsServerCounters(bool mode7) => Assert.Equal(
        "time since restart:     N\ntime since reset:       N\npackets received:       N\npackets processed:      N\ncurrent version:        N\n"
        + "previous version:       0\ndeclined:               0\naccess denied:          0\nbad length or format:   0\nbad authentication:     0\n"
        + "rate exceeded:          0\n", Ntpdc(mode7, "sysstats"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void IoStats_PrintsIoCounters(bool mode7) => Assert.Equal(
        "time since reset:     N\nreceive buffers:      0\nfree receive buffers: 0\nused receive buffers: 0\nlow water refills:    0\n"
        + "dropped packets:      0\nignored packets:      N\nreceived packets:     N\npackets sent:         N\npackets not sent:     0\n"
        + "interrupts handled:   N\nreceived by int:      N\n", Ntpdc(mode7, "iostats"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void KernInfo_ReadsZeroWithoutKernelLoop(bool mode7) => Assert.Equal(
        "pll offset:           0 s\npll frequency:        0.000 ppm\nmaximum error:        0 s\nestimated error:      0 s\nstatus:               0000 \n"
        + "pll time constant:    0\nprecision:            0 s\nfrequency tolerance:  0 ppm\n", Ntpdc(mode7, "kerninfo"));

    [Fact]
    public void Help_Version_Timeout() => Assert.Equal(
        "ntpdc commands:\n"
        + "debug     help      kerninfo  peers     sysinfo   version   \n"
        + "dmpeers   host      listpeers quit      sysstats  \n"
        + "exit      iostats   loopinfo  showpeer  timeout   \n"
        + "ntpdc Stratum 0.1.0 (ntpd 4.2.8 compatible)\n"
        + "primary timeout 5000 ms\n", Ntpdc(true, "help", "version", "timeout"));

    [Fact]
    public void Interactive_ReadsCommandsAfterThePrompt()
    {
        var stdout = new StringWriter();
        int exit = NtpdcCli.Run(["127.0.0.1"], stdout, new StringWriter(), NtpdcEnvironment.Default with
        {
            Port = daemons.Mode7Port,
            Input = new StringReader("listpeers\nquit\n"),
        });
        Assert.Equal(0, exit);
        Assert.Equal("ntpdc> client    LOCAL(0)\nntpdc> ", stdout.ToString());
    }

    [Fact]
    public void BadCommandLine_ExitsTwoWithUsage()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, NtpdcCli.Run(["-z"], new StringWriter(), stderr));
        Assert.StartsWith("ntpdc: illegal option -- z\n", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void NoServer_NamesTheHostThenTimesOut()
    {
        int port;
        using (var probe = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0)))
        {
            port = ((System.Net.IPEndPoint)probe.Client.LocalEndPoint!).Port;
        }

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        NtpdcEnvironment environment = NtpdcEnvironment.Default with { Port = port, Zone = TimeZoneInfo.Utc, Mode7ProbeTimeoutNanoseconds = 200_000_000 };
        int exit = NtpdcCli.Run(["-c", "timeout 200", "-c", "sysinfo", "127.0.0.1"], stdout, stderr, environment);
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stdout.ToString());
        Assert.Equal("127.0.0.1: timed out, nothing received\n***Request timed out\n", stderr.ToString());
    }
}
