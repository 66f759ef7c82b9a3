// Where the interop tests find what they run: our executables (dist/ntpd etc. from ./build.sh, or
// STRATUM_DIST), the chrony and ntpsec packages unpacked by .ci/run (STRATUM_INTEROP_ROOT, default
// /opt/stratum-interop/root), and client tools on PATH (ntpdig, sntp, tshark, setpriv, timeout, ss).
// Anything missing makes the test skip with a message naming it; with CI=true it fails instead, so
// a broken CI image cannot pass by skipping everything. Linux only; daemons on port 123 need root.
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Stratum.Interop.Tests.Harness;

public static class InteropEnvironment
{
    public const string InteropRootVariable = "STRATUM_INTEROP_ROOT";
    public const string DefaultInteropRoot = "/opt/stratum-interop/root";
    private const string InstallHint = "run `.ci/run --install-only` as root";

    /// <summary>CI=true: a missing prerequisite fails the test instead of skipping it.</summary>
    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string InteropRoot
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(InteropRootVariable);
            return string.IsNullOrWhiteSpace(value) ? DefaultInteropRoot : value;
        }
    }

    /// <summary>The directory holding Stratum.slnx, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        for (var depth = 0; directory is not null && depth < 20; depth++, directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Stratum.slnx")))
            {
                return directory.FullName;
            }
        }

        Unavailable($"the repository root (no Stratum.slnx above {AppContext.BaseDirectory})");
        return string.Empty;
    }

    /// <summary>Overrides the directory of our executables (default: REPO/dist), e.g. to test another build.</summary>
    public const string DistVariable = "STRATUM_DIST";

    /// <summary>Our published executable dist/NAME (ntpd, ntpdate, ...).</summary>
    public static string OurTool(string name)
    {
        var dist = Environment.GetEnvironmentVariable(DistVariable);
        var directory = string.IsNullOrWhiteSpace(dist) ? Path.Combine(RepositoryRoot(), "dist") : dist;
        return RequireExecutable(Path.Combine(directory, name), $"our {name} (run ./build.sh)");
    }

    public static string Chronyd() =>
        RequireExecutable(Path.Combine(InteropRoot, "chrony", "usr", "sbin", "chronyd"),
            $"chronyd from the unpacked Debian chrony package ({InstallHint}, or set {InteropRootVariable})");

    /// <summary>chronyc from the unpacked Debian chrony package (monitoring queries only).</summary>
    public static string Chronyc() =>
        RequireExecutable(Path.Combine(InteropRoot, "chrony", "usr", "bin", "chronyc"),
            $"chronyc from the unpacked Debian chrony package ({InstallHint}, or set {InteropRootVariable})");

    /// <summary>ntpsec's ntpq (Python) from the unpacked Debian ntpsec package.</summary>
    public static string NtpsecNtpq() =>
        RequireExecutable(Path.Combine(InteropRoot, "ntpsec", "usr", "bin", "ntpq"),
            $"ntpq from the unpacked Debian ntpsec package ({InstallHint}, or set {InteropRootVariable})");

    public static string NtpsecNtpd() =>
        RequireExecutable(Path.Combine(InteropRoot, "ntpsec", "usr", "sbin", "ntpd"),
            $"ntpd from the unpacked Debian ntpsec package ({InstallHint}, or set {InteropRootVariable})");

    /// <summary>A client tool or utility on PATH (ntpdig, sntp, tshark, setpriv, timeout, ss, kill).</summary>
    public static string Tool(string name)
    {
        RequireLinux();
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        Unavailable($"`{name}` on PATH ({InstallHint})");
        return string.Empty;
    }

    /// <summary>Servers bind UDP port 123 and tshark captures on lo: both need root.</summary>
    public static void RequireRoot()
    {
        RequireLinux();
        if (!Environment.IsPrivilegedProcess)
        {
            Unavailable("root (UDP port 123 and packet capture need it)");
        }
    }

    /// <summary>Nobody else may answer on ADDRESS:123, or the test would talk to a stranger.</summary>
    public static void RequirePortFree(IPAddress address)
    {
        RequireRoot();
        using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, 123));
        }
        catch (SocketException exception)
        {
            Unavailable($"a free UDP port {address}:123 ({exception.SocketErrorCode}: another NTP server runs there " +
                "or on 0.0.0.0:123; `ss -ulpn | grep :123` names it)");
        }
    }

    /// <summary>Skips the test (fails it when CI=true) because WHAT is missing.</summary>
    [DoesNotReturn]
    public static void Unavailable(string what)
    {
        var message = $"Interop prerequisite missing: {what}.";
        if (IsCi)
        {
            Assert.Fail(message + " (CI=true, so a missing prerequisite is a failure, not a skip)");
        }

        Assert.Skip(message);
    }

    private static void RequireLinux()
    {
        if (!OperatingSystem.IsLinux())
        {
            Unavailable("Linux (the interop tests use loopback addresses 127.0.0.x, setpriv and Debian packages)");
        }
    }

    private static string RequireExecutable(string path, string what)
    {
        RequireLinux();
        if (!IsExecutable(path))
        {
            Unavailable($"{what}; looked for {path}");
        }

        return path;
    }

    private static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
