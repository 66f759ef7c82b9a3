// NtpqCli: placeholder command line of ntpq. It recognises --version and otherwise reports that
// the tool is not implemented yet (exit 1), as the first-suite issue allows.
namespace Stratum.Tools.Ntpq;

internal static class NtpqCli
{
    public const string VersionText = "ntpq Stratum 0.1.0 (ntpd 4.2.8 compatible)";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args is ["--version"])
        {
            stdout.WriteLine(VersionText);
            return 0;
        }

        stderr.WriteLine("ntpq: not yet implemented (mode 6/7 queries arrive with the ntpq/ntpdc work)");
        return 1;
    }
}
