// ntpd -u and -i as a process (the published dist/ntpd, observe-only, no CAP_SYS_TIME in its bounding
// set, 127.0.0.29 on a free port): after start-up it runs as the account given, holds no capability at
// all (it disciplines no clock), cannot gain any (NoNewPrivs), still serves time, and says which files
// the account cannot write. With -i its root directory is the jail. Needs root to start with: skips
// otherwise (fails when CI=true, where the suite runs as root).
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Stratum.Cli.Tests.Ntpd;

public sealed class NtpdPrivilegeTests : IDisposable
{
    private static readonly IPAddress s_address = IPAddress.Parse("127.0.0.29");
    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-ntpd-user-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Ntpd_RunAsNobody_DropsRootAndEveryCapability_AndKeepsServing()
    {
        string ntpd = Start(out string config, out string log, driftDirectory: "/nonexistent-stratum-dir");
        using Process daemon = Run(ntpd, config, log, "-u", "nobody");
        try
        {
            Dictionary<string, string> status = Status(daemon.Id);
            Assert.Equal("65534\t65534\t65534\t65534", status["Uid"]);
            Assert.Equal("65534\t65534\t65534\t65534", status["Gid"]);
            Assert.Equal("65534", status["Groups"].Trim());
            Assert.Equal("0000000000000000", status["CapEff"]);
            Assert.Equal("0000000000000000", status["CapPrm"]);
            Assert.Equal("0000000000000000", status["CapInh"]);
            Assert.Equal("1", status["NoNewPrivs"]);
            // The log line is written after the drop; the daemon may already serve before it reaches the file.
            string text = LogOnceItHas(log, "running as nobody");
            Assert.Contains("running as nobody (uid 65534, gid 65534); capabilities kept: none", text, StringComparison.Ordinal);
            Assert.Contains("drift file directory /nonexistent-stratum-dir is not writable by nobody", text, StringComparison.Ordinal);
        }
        finally
        {
            Stop(daemon);
        }
    }

    [Fact]
    public void Ntpd_Jail_ChrootsBeforeDroppingRoot()
    {
        string jail = Directory.CreateDirectory(Path.Combine(_directory, "jail")).FullName;
        string ntpd = Start(out string config, out string log, driftDirectory: null);
        using Process daemon = Run(ntpd, config, log, "-u", "65534:65534", "-i", jail);
        try
        {
            Assert.Equal(jail, new FileInfo($"/proc/{daemon.Id}/root").LinkTarget);
            Assert.Equal("65534\t65534\t65534\t65534", Status(daemon.Id)["Uid"]);
            Assert.Contains($"chroot to {jail}", LogOnceItHas(log, "chroot to"), StringComparison.Ordinal);
        }
        finally
        {
            Stop(daemon);
        }
    }

    private string Start(out string config, out string log, string? driftDirectory)
    {
        string ntpd = PublishedNtpd.Locate();
        if (Environment.UserName != "root")
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("needs root (CI runs the suite as root)");
            }

            Assert.Skip("needs root");
        }

        config = Path.Combine(_directory, "ntp.conf");
        log = Path.Combine(_directory, "ntpd.log");
        File.WriteAllText(config, $"""
            server 127.127.1.0
            fudge 127.127.1.0 stratum 10
            disable ntp
            {(driftDirectory is null ? "" : $"driftfile {driftDirectory}/ntp.drift")}
            interface ignore wildcard
            interface listen {s_address}
            """);
        return ntpd;
    }

    // The log file's text once it contains <paramref name="expected"/> (at most 5 s), else as it is then.
    private static string LogOnceItHas(string log, string expected)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        string text = File.Exists(log) ? File.ReadAllText(log) : string.Empty;
        while (!text.Contains(expected, StringComparison.Ordinal) && watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(50);
            text = File.Exists(log) ? File.ReadAllText(log) : string.Empty;
        }

        return text;
    }

    private static Process Run(string ntpd, string config, string log, params string[] extra)
    {
        int port = InProcessNtpd.FreePort(s_address);
        var start = new ProcessStartInfo("setpriv") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in (string[])["--bounding-set", "-sys_time", "--inh-caps", "-sys_time", "--",
                     ntpd, "-n", "-c", config, "-l", log, "--port", port.ToString(CultureInfo.InvariantCulture), .. extra])
        {
            start.ArgumentList.Add(argument);
        }

        Process daemon = Process.Start(start) ?? throw new InvalidOperationException("cannot start setpriv");
        if (!PublishedNtpd.WaitUntilServing(new IPEndPoint(s_address, port), TimeSpan.FromSeconds(20)))
        {
            Stop(daemon);
            Assert.Fail($"ntpd did not answer on {s_address}:{port}; log:\n{(File.Exists(log) ? File.ReadAllText(log) : "(none)")}");
        }

        // The drop happens before the loop first runs: the first answer means it is done.
        return daemon;
    }

    private static Dictionary<string, string> Status(int processId) =>
        File.ReadAllLines($"/proc/{processId}/status")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim('\t', ' '));

    private static void Stop(Process daemon)
    {
        if (!daemon.HasExited)
        {
            daemon.Kill();
            daemon.WaitForExit(TimeSpan.FromSeconds(10));
        }
    }
}
