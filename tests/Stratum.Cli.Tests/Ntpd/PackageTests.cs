// The Debian package (./package.sh over dist/): dpkg-deb lists every file (the four tools, /etc/ntp.conf,
// the systemd unit and its ntpd.service alias, the documentation), all root's; the control fields say
// what an administrator replacing ntp, ntpsec or chrony needs (Provides time-daemon, Conflicts, the
// conffile); and the tools unpacked into a scratch root run: ntpd --version, and ntpd --check accepts
// the packaged ntp.conf. Nothing is installed on this machine. Skips without dist/ntpd or dpkg-deb
// (fails when CI=true).
using System.Diagnostics;

namespace Stratum.Cli.Tests.Ntpd;

public sealed class PackageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-package-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TheDeb_HoldsEveryFile_DeclaresWhatItReplaces_AndItsToolsRun()
    {
        string ntpd = PublishedNtpd.Locate();
        string repository = Path.GetDirectoryName(Path.GetDirectoryName(ntpd))!;
        if (!File.Exists("/usr/bin/dpkg-deb"))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("needs dpkg-deb");
            }

            Assert.Skip("needs dpkg-deb");
        }

        (int exit, string output, string errors) = Run(Path.Combine(repository, "package.sh"), _directory);
        Assert.True(exit == 0, output + errors);
        string deb = Directory.GetFiles(_directory, "stratum_*_amd64.deb").Single();

        (_, string listing, _) = Run("dpkg-deb", "-c", deb);
        foreach (string path in (string[])["./usr/sbin/ntpd", "./usr/bin/ntpq", "./usr/bin/ntpdc", "./usr/bin/ntpdate", "./etc/ntp.conf",
                     "./lib/systemd/system/ntp.service", "./lib/systemd/system/ntpd.service -> ntp.service", "./usr/share/doc/stratum/ntp.conf.5.md"])
        {
            Assert.Contains(path, listing, StringComparison.Ordinal);
        }

        Assert.All(listing.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Contains(" root/root ", line, StringComparison.Ordinal));

        (_, string fields, _) = Run("dpkg-deb", "-f", deb, "Package", "Provides", "Conflicts");
        Assert.Contains("Package: stratum", fields, StringComparison.Ordinal);
        Assert.Contains("time-daemon", fields, StringComparison.Ordinal);
        Assert.Contains("chrony", fields, StringComparison.Ordinal);
        Assert.Contains("systemd-timesyncd", fields, StringComparison.Ordinal);
        (_, string control, _) = Run("dpkg-deb", "-I", deb, "conffiles");
        Assert.Equal("/etc/ntp.conf", control.Trim());

        string root = Path.Combine(_directory, "root");
        Assert.Equal(0, Run("dpkg-deb", "-x", deb, root).Exit);
        (int versionExit, string version, _) = Run(Path.Combine(root, "usr/sbin/ntpd"), "--version");
        Assert.Equal(0, versionExit);
        Assert.StartsWith("ntpd Stratum ", version, StringComparison.Ordinal);
        (int checkExit, string check, string checkErrors) = Run(Path.Combine(root, "usr/sbin/ntpd"), "--check", "-c", Path.Combine(root, "etc/ntp.conf"));
        Assert.True(checkExit == 0, check + checkErrors);
        (int ntpqExit, string ntpqVersion, _) = Run(Path.Combine(root, "usr/bin/ntpq"), "--version");
        Assert.Equal(0, ntpqExit);
        Assert.StartsWith("ntpq Stratum ", ntpqVersion, StringComparison.Ordinal);

        // The unit, as systemd reads it (where systemd-analyze exists; CI images may lack systemd): its
        // ExecStart pointed at the unpacked ntpd, man pages not looked up.
        if (File.Exists("/usr/bin/systemd-analyze"))
        {
            string unit = Path.Combine(_directory, "ntp.service");
            File.WriteAllText(unit, File.ReadAllText(Path.Combine(root, "lib/systemd/system/ntp.service"))
                .Replace("/usr/sbin/ntpd", Path.Combine(root, "usr/sbin/ntpd"), StringComparison.Ordinal));
            (int verifyExit, string verify, string verifyErrors) = Run("/usr/bin/systemd-analyze", "verify", "--man=no", unit);
            Assert.True(verifyExit == 0, verify + verifyErrors);
        }
    }

    private static (int Exit, string Stdout, string Stderr) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(120)), $"{program} did not finish");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
