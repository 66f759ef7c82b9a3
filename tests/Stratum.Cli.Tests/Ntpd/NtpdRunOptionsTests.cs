// ntpd's run-time options on a running daemon (in-process, loopback 127.0.0.34–38, ephemeral
// ports, never the real clock): -l sends the classic start-up lines to the file and not to stderr,
// -p writes the pid file while running and removes it at exit, -I binds only the named addresses,
// -4 and -6 drop the other family, -q exits 0 after the first synchronization, and -g and -x reach
// the clock discipline.
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Stratum.Engine.Discipline;

namespace Stratum.Cli.Tests.Ntpd;

public sealed partial class NtpdRunOptionsTests : IDisposable
{
    private static readonly IPAddress s_address34 = IPAddress.Parse("127.0.0.34");
    private static readonly IPAddress s_address35 = IPAddress.Parse("127.0.0.35");
    private static readonly IPAddress s_address36 = IPAddress.Parse("127.0.0.36");
    private static readonly IPAddress s_address37 = IPAddress.Parse("127.0.0.37");
    private static readonly IPAddress s_address38 = IPAddress.Parse("127.0.0.38");

    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-ntpd-options-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A config that listens on <paramref name="address"/> only (and never disciplines the clock unless asked).</summary>
    private string WriteConfig(IPAddress address, string extra = "disable ntp\n")
    {
        string path = Path.Combine(_directory, "ntp.conf");
        File.WriteAllText(path, $"""
            interface ignore ipv4
            interface ignore ipv6
            interface listen {address}
            {extra}
            """);
        return path;
    }

    private static string[] ListeningOn(InProcessNtpd daemon) =>
        [.. daemon.Host!.Sockets.Select(socket => socket.LocalEndPoint.ToString())];

    [GeneratedRegex(@"^[ \d]\d [A-Z][a-z]{2} \d\d:\d\d:\d\d ntpd\[4242\]: ")]
    private static partial Regex LogLinePrefix();

    [Fact]
    public void LogFileOption_WritesTheStartupLinesToTheFileOnly()
    {
        int port = InProcessNtpd.FreePort(s_address34);
        string log = Path.Combine(_directory, "ntpd.log");
        string ignoredLog = Path.Combine(_directory, "from-config.log");
        string config = WriteConfig(s_address34, $"disable ntp\nlogfile {ignoredLog}\n");

        using (var daemon = InProcessNtpd.Start(config, port, "-l", log))
        {
            Assert.True(daemon.Host is not null, $"daemon exited: {daemon.Stderr}");
            daemon.Stop();
            Assert.Equal(0, daemon.ExitCode);
            Assert.Equal("", daemon.Stderr.ToString());
            Assert.Equal("", daemon.Stdout.ToString());
        }

        // -l overrides the config's logfile.
        Assert.False(File.Exists(ignoredLog));
        string[] lines = File.ReadAllLines(log);
        Assert.All(lines, line => Assert.Matches(LogLinePrefix(), line));
        string[] messages = [.. lines.Select(line => line[(line.IndexOf("]: ", StringComparison.Ordinal) + 3)..])];
        Assert.Equal("ntpd Stratum 0.1.0 (ntpd 4.2.8 compatible): Starting", messages[0]);
        Assert.Equal($"Command line: ntpd -n -c {config} --port {port} -l {log}", messages[1]);
        Assert.Contains("clock control disabled (disable ntp): the system clock is observed and never adjusted", messages);
        Assert.Contains(messages, m => m.StartsWith("proto: precision = ", StringComparison.Ordinal));
        Assert.Contains($"Listen normally on 0 lo 127.0.0.34:{port}", messages);
        Assert.Equal("ntpd exiting on signal 15 (Terminated)", messages[^1]);
    }

    [Fact]
    public void LogFileOption_UnwritableFile_Exits1WithTheReason()
    {
        string log = Path.Combine(_directory, "missing-directory", "ntpd.log");
        string config = WriteConfig(s_address34);

        using var daemon = InProcessNtpd.Start(config, InProcessNtpd.FreePort(s_address34), "-l", log);

        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.Null(daemon.Host);
        Assert.Equal(1, daemon.ExitCode);
        Assert.StartsWith($"ntpd: cannot open log file {log}: ", daemon.Stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LogFileOption_SymbolicLink_RefusedAndReported_DaemonKeepsRunning()
    {
        string victim = Path.Combine(_directory, "victim");
        File.WriteAllText(victim, "precious\n");
        var victimTime = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(victim, victimTime);
        string log = Path.Combine(_directory, "ntpd.log");
        File.CreateSymbolicLink(log, victim);

        using (var daemon = InProcessNtpd.Start(WriteConfig(s_address34), InProcessNtpd.FreePort(s_address34), "-l", log))
        {
            Assert.True(daemon.Host is not null, $"daemon exited: {daemon.Stderr}");
            daemon.Stop();
            Assert.Equal(0, daemon.ExitCode);
            // In the foreground without a usable log file the lines go to stderr, the refusal among them.
            string stderr = daemon.Stderr.ToString();
            Assert.Single(stderr.Split('\n'), line => line.EndsWith($"log file {log} is a symbolic link; not written", StringComparison.Ordinal));
        }

        Assert.Equal("precious\n", File.ReadAllText(victim));
        Assert.Equal(victimTime, File.GetLastWriteTimeUtc(victim));
        Assert.Equal(victim, new FileInfo(log).LinkTarget);
    }

    [Fact]
    public void PidFileOption_WritesThePidWhileRunningAndRemovesItAtExit()
    {
        int port = InProcessNtpd.FreePort(s_address35);
        string pidFile = Path.Combine(_directory, "ntpd.pid");

        using var daemon = InProcessNtpd.Start(WriteConfig(s_address35), port, "-p", pidFile);
        Assert.True(daemon.Host is not null, $"daemon exited: {daemon.Stderr}");
        string written = File.ReadAllText(pidFile);
        daemon.Stop();

        Assert.Equal($"{InProcessNtpd.ProcessId}\n", written);
        Assert.False(File.Exists(pidFile));
        Assert.False(File.Exists(pidFile + ".tmp"));
        Assert.Equal(0, daemon.ExitCode);
    }

    [Fact]
    public void InterfaceOption_BindsOnlyTheNamedAddresses()
    {
        int port = InProcessNtpd.FreePort(s_address36);
        // The config would listen on 127.0.0.35; -I replaces the config's interface rules.
        string config = WriteConfig(s_address35);

        using var daemon = InProcessNtpd.Start(config, port, "-I", "127.0.0.36", "-I", "127.0.0.34");
        Assert.True(daemon.Host is not null, $"daemon exited: {daemon.Stderr}");
        string[] sockets = ListeningOn(daemon);
        daemon.Stop();

        Assert.Equal([$"127.0.0.36:{port}", $"127.0.0.34:{port}"], sockets);
        string log = daemon.Stderr.ToString();
        Assert.Contains($"Listen normally on 0 lo 127.0.0.36:{port}\n", log, StringComparison.Ordinal);
        Assert.Contains($"Listen normally on 1 lo 127.0.0.34:{port}\n", log, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(log, "Listen normally on "));
    }

    [Fact]
    public void IPv4Option_LeavesOutTheIPv6Addresses()
    {
        int port = InProcessNtpd.FreePort(s_address37);
        // ::1 is named but never bound: -4 drops it before any socket is opened.
        string config = WriteConfig(s_address37, "disable ntp\ninterface listen ::1\n");

        using var daemon = InProcessNtpd.Start(config, port, "-4");
        Assert.True(daemon.Host is not null, $"daemon exited: {daemon.Stderr}");
        string[] sockets = ListeningOn(daemon);
        daemon.Stop();

        Assert.Equal([$"127.0.0.37:{port}"], sockets);
        string log = daemon.Stderr.ToString();
        Assert.Equal(1, Regex.Count(log, "Listen normally on "));
        Assert.Contains($"Listen normally on 0 lo 127.0.0.37:{port}\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public void IPv6Option_LeavesOutTheIPv4Addresses_NothingLeftExits1()
    {
        // Only IPv4 addresses are allowed by the config; with -6 none is bound, so ntpd has no socket.
        string config = WriteConfig(s_address37);

        using var daemon = InProcessNtpd.Start(config, InProcessNtpd.FreePort(s_address37), "-6");

        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(10)), "ntpd -6 kept running without a socket");
        Assert.Equal(1, daemon.ExitCode);
        string log = daemon.Stderr.ToString();
        Assert.DoesNotContain("Listen normally on", log, StringComparison.Ordinal);
        Assert.Contains("no address to listen on; exiting", log, StringComparison.Ordinal);
    }

    [Theory]
    // The local clock disciplines ntpd's virtual clock (never the system clock).
    [InlineData("", "--virtual-clock")]
    // Stratum's documented deviation (docs/ntpd.8.md): observe-only, -q still exits at the first
    // synchronization, setting nothing; ntpd 4.2.8's local_clock() returns before its -q exit when
    // ntp is disabled, so it would run until signalled.
    [InlineData("disable ntp", "")]
    public void QuitOption_LocalClock_ExitsZeroAfterTheFirstSynchronization(string configLine, string extraArgs)
    {
        int port = InProcessNtpd.FreePort(s_address38);
        string config = WriteConfig(s_address38, $"""
            server 127.127.1.0
            fudge 127.127.1.0 stratum 10
            {configLine}
            """);

        using var daemon = InProcessNtpd.Start(config, port, ["-q", .. extraArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(20)), "ntpd -q did not exit after synchronizing");
        string log = daemon.Stderr.ToString();
        Assert.Equal(0, daemon.ExitCode);
        Assert.NotNull(daemon.Host);
        int synchronized = log.IndexOf("synchronized to LOCAL(0), stratum 10", StringComparison.Ordinal);
        int exiting = log.IndexOf("ntpd: time set once (-q); exiting", StringComparison.Ordinal);
        Assert.True(synchronized >= 0, log);
        Assert.True(exiting > synchronized, log);
        Assert.DoesNotContain("exiting on signal", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", false, false)]
    [InlineData("-g", true, false)]
    [InlineData("-x", false, true)]
    [InlineData("-g -x", true, true)]
    [InlineData("--panicgate --slew", true, true)]
    public void PanicGateAndSlewOptions_ReachTheClockDiscipline(string options, bool allowFirstPanicStep, bool slewOnly)
    {
        DisciplineParameters? parameters = null;
        int port = InProcessNtpd.FreePort(s_address35);
        string config = WriteConfig(s_address35, "server 127.127.1.0\ntinker step 0.25");
        using var daemon = new InProcessNtpd(
            ["-n", "-c", config, "--port", port.ToString(CultureInfo.InvariantCulture), "--virtual-clock", .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries)],
            host => parameters = host.Engine.Sources.Discipline.Parameters);
        Assert.True(daemon.Host is not null, $"daemon exited: {daemon.Stderr}");
        daemon.Stop();

        Assert.NotNull(parameters);
        Assert.Equal(allowFirstPanicStep, parameters.AllowFirstPanicStep);
        Assert.Equal(slewOnly, parameters.SlewOnly);
        // -x raises the step threshold to 600 s; without it `tinker step` holds.
        Assert.Equal(slewOnly ? 600 : 0.25, parameters.EffectiveStepThreshold);
    }
}
