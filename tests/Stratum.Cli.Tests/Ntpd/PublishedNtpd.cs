// PublishedNtpd: finds the published daemon (dist/ntpd or $STRATUM_DIST/ntpd) for tests that run it as a
// process, and waits until such a daemon answers a mode 3 request.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Stratum.Cli.Tests.Ntpd;

internal static class PublishedNtpd
{
    /// <summary>Mode 3 requests until one is answered: the daemon is up and its loop runs.</summary>
    public static bool WaitUntilServing(IPEndPoint server, TimeSpan timeout)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 100 };
        var request = new byte[48];
        request[0] = 0x23;
        var buffer = new byte[128];
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            client.SendTo(request, server);
            try
            {
                if (client.Receive(buffer) >= 48)
                {
                    return true;
                }
            }
            catch (SocketException)
            {
                // Not bound yet, or no answer within 100 ms: ask again.
            }
        }

        return false;
    }

    /// <summary>dist/ntpd of this repository (or $STRATUM_DIST/ntpd), with bash, setpriv and env on PATH;
    /// skips the test without them (fails it when CI=true).</summary>
    public static string Locate()
    {
        string? dist = Environment.GetEnvironmentVariable("STRATUM_DIST");
        if (string.IsNullOrWhiteSpace(dist))
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Stratum.slnx")))
            {
                directory = directory.Parent;
            }

            dist = directory is null ? "" : Path.Combine(directory.FullName, "dist");
        }

        string ntpd = Path.Combine(dist, "ntpd");
        string? missing = !OperatingSystem.IsLinux() ? "Linux"
            : !File.Exists(ntpd) ? $"{ntpd} (run ./build.sh)"
            : new[] { "bash", "setpriv", "env" }.FirstOrDefault(tool => !OnPath(tool));
        if (missing is not null)
        {
            string message = $"needs {missing}";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        return ntpd;
    }

    /// <summary>Skips the test unless it runs as root (for port 123 and the like; fails it when CI=true).</summary>
    public static void RequireRoot(string why = "to bind port 123")
    {
        if (Environment.UserName == "root")
        {
            return;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"needs root {why} (CI runs the suite as root)");
        }

        Assert.Skip($"needs root {why}");
    }

    /// <summary>Starts `ntpd -n -c CONFIG -l LOG EXTRA…` without CAP_SYS_TIME (setpriv drops it from the bounding
    /// and inheritable sets), with <paramref name="environment"/> added; output redirected.</summary>
    public static Process StartWithoutClockControl(string ntpd, string config, string log, IEnumerable<string>? extra = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("setpriv") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in (string[])["--bounding-set", "-sys_time", "--inh-caps", "-sys_time", "--", ntpd, "-n", "-c", config, "-l", log])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string argument in extra ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("cannot start setpriv");
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, tool)));
}
