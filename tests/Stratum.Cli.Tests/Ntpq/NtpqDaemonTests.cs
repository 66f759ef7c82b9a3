// ntpq against our ntpd in-process on an ephemeral loopback port, in a known state: one local
// clock at stratum 10 that has become the system peer (system stratum 11). Whole outputs are
// compared; only what varies with the wall clock is masked: the `when` column of peers and the
// reftime/clock timestamps of readvar (identity strings are fixed through ControlIdentity).
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Stratum.Client.Transport;
using Stratum.Engine.Control;
using Stratum.Platform.Hosting;
using Stratum.Platform.Loop;
using Stratum.Tools.Ntpd;
using Stratum.Tools.Ntpq;

namespace Stratum.Cli.Tests.Ntpq;

public sealed partial class NtpqDaemonTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-ntpq-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private sealed class RunningDaemon : IDisposable
    {
        private readonly Thread _thread;
        private readonly ManualResetEventSlim _started = new();
        private readonly ManualResetEventSlim _synchronized = new();
        private ShutdownSignals? _signals;

        public RunningDaemon(string configPath, int port)
        {
            _thread = new Thread(() =>
            {
                var environment = new NtpdEnvironment("/nonexistent", 4242, () => new ShutdownSignals(), (host, signals) =>
                {
                    Host = host;
                    host.Engine.Control.Identity = new ControlIdentity(ControlIdentity.DefaultVersion, "x86_64", "Linux/6.1.0");
                    host.Synchronized += () => _synchronized.Set();
                    _signals = signals;
                    _started.Set();
                }, AllowDaemonize: false);
                NtpdCli.Run(["-n", "-c", configPath, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], TextWriter.Null, TextWriter.Null, environment);
                _started.Set();
            });
            _thread.Start();
            Assert.True(_started.Wait(TimeSpan.FromSeconds(20)), "daemon did not start");
            Assert.True(_synchronized.Wait(TimeSpan.FromSeconds(10)), "daemon did not synchronize to its local clock");
        }

        public DaemonHost? Host { get; private set; }

        public void Dispose()
        {
            _signals?.RequestStop(15);
            Assert.True(_thread.Join(TimeSpan.FromSeconds(10)), "daemon did not stop");
            _started.Dispose();
            _synchronized.Dispose();
        }
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private RunningDaemon StartDaemon(out int port)
    {
        port = FreePort();
        string config = Path.Combine(_directory, "ntp.conf");
        File.WriteAllText(config, """
            server 127.127.1.0
            fudge 127.127.1.0 stratum 10
            disable ntp
            interface ignore wildcard
            interface listen 127.0.0.1
            """);
        return new RunningDaemon(config, port);
    }

    private static (int ExitCode, string Stdout, string Stderr) Ntpq(int port, params string[] args)
    {
        NtpqEnvironment environment = NtpqEnvironment.Default with { Port = port, Zone = TimeZoneInfo.Utc };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = NtpqCli.Run(args, stdout, stderr, environment);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [GeneratedRegex(@"=[0-9a-f]{8}\.[0-9a-f]{8}  \w{3}, \w{3} [ \d]\d \d{4} [ \d]\d:\d\d:\d\d\.\d{3}")]
    private static partial Regex PrettyDate();

    /// <summary>Root dispersion grows by 15 ppm per second since the last local clock sample.</summary>
    [GeneratedRegex(@"rootdisp=\d+\.\d{3}")]
    private static partial Regex RootDispersion();

    /// <summary>The precision is measured on the real clock at start (-24 to -26 here).</summary>
    [GeneratedRegex(@"precision=-\d\d")]
    private static partial Regex Precision();

    private static string MaskWhen(string text) =>
        string.Join('\n', text.Split('\n').Select(line => line.Length > 45 && line[0] is ' ' or '*' or '+' or 'x' or '-' or '#' or 'o' or '.' && !line.StartsWith("     remote", StringComparison.Ordinal)
            ? line[..38] + "WHEN" + line[42..]
            : line));

    [Fact]
    public void Ntpq_Peers_ShowsLocalClockAsSystemPeer()
    {
        using RunningDaemon daemon = StartDaemon(out int port);
        (int exit, string stdout, string stderr) = Ntpq(port, "-p", "127.0.0.1");
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(0, exit);
        Assert.Equal(
            "     remote           refid      st t when poll reach   delay   offset  jitter\n"
            + "==============================================================================\n"
            + "*LOCAL(0)        .LOCL.          10 l WHEN   64    1    0.000    0.000   0.000\n",
            MaskWhen(stdout));
    }

    [Fact]
    public void Ntpq_PeersNumeric_ShowsRefclockAddress()
    {
        using RunningDaemon daemon = StartDaemon(out int port);
        (int exit, string stdout, string stderr) = Ntpq(port, "-pn", "127.0.0.1");
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(0, exit);
        Assert.Equal(
            "     remote           refid      st t when poll reach   delay   offset  jitter\n"
            + "==============================================================================\n"
            + "*127.127.1.0     .LOCL.          10 l WHEN   64    1    0.000    0.000   0.000\n",
            MaskWhen(stdout));
    }

    [Fact]
    public void Ntpq_Associations_ListsLocalClock()
    {
        using RunningDaemon daemon = StartDaemon(out int port);
        (int exit, string stdout, string stderr) = Ntpq(port, "-c", "as", "127.0.0.1");
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(0, exit);
        Assert.Equal(
            "\nind assid status  conf reach auth condition  last_event cnt\n"
            + "===========================================================\n"
            + "  1     1  961a   yes   yes  none  sys.peer    sys_peer  1\n",
            stdout);
    }

    [Fact]
    public void Ntpq_ReadVar_PrintsSystemVariables()
    {
        using RunningDaemon daemon = StartDaemon(out int port);
        (int exit, string stdout, string stderr) = Ntpq(port, "-c", "rv", "127.0.0.1");
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(0, exit);
        Assert.Equal(
            "associd=0 status=0515 leap_none, sync_local, 1 event, clock_sync,\n"
            + "version=\"ntpd Stratum 0.1.0 (ntpd 4.2.8 compatible)\", processor=\"x86_64\",\n"
            + "system=\"Linux/6.1.0\", leap=00, stratum=11, precision=-PP,\n"
            + "rootdelay=0.000, rootdisp=ROOTDISP, refid=LOCAL(0),\n"
            + "reftime=DATE,\n"
            + "clock=DATE, peer=1, tc=6,\n"
            + "mintc=3, offset=0.000000, frequency=0.000, sys_jitter=0.000000,\n"
            + "clk_jitter=0.001, clk_wander=0.000\n",
            Precision().Replace(RootDispersion().Replace(PrettyDate().Replace(stdout, "=DATE"), "rootdisp=ROOTDISP"), "precision=-PP"));
    }

    [Fact]
    public void Ntpq_ReadVarNamed_ReturnsOnlyThose()
    {
        using RunningDaemon daemon = StartDaemon(out int port);
        (int exit, string stdout, string stderr) = Ntpq(port, "-c", "rv 0 stratum,refid", "-c", "rv 1 stratum refid reach", "127.0.0.1");
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(0, exit);
        // ntpq 4.2.8 prints no status line when variables are named (ntpq-subs.c dolist, quiet).
        Assert.Equal("stratum=11, refid=LOCAL(0)\nstratum=10, refid=LOCL, reach=001\n", stdout);
    }

    [Fact]
    public void Ntpq_UnknownVariableAndAssociation_ReportsNtpqErrors()
    {
        using RunningDaemon daemon = StartDaemon(out int port);
        (int exit, string stdout, string stderr) = Ntpq(port, "-c", "rv 0 nosuchvar", "-c", "rv 7", "-c", "bogus", "127.0.0.1");
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(
            "***A request variable unknown to the server\n"
            + "***Association ID 7 unknown to server\n"
            + "***Command `bogus' unknown\n",
            stderr);
    }

    [Fact]
    public void Ntpq_NoServer_TimesOut()
    {
        int port = FreePort();
        (int exit, string stdout, string stderr) = Ntpq(port, "-c", "timeout 200", "-c", "rv", "127.0.0.1");
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("127.0.0.1: timed out, nothing received\n***Request timed out\n", stderr);
    }
}
