// ntpq entry point: the mode 6 query tool. All behaviour lives in NtpqCli so tests run it in-process.
namespace Stratum.Tools.Ntpq;

internal static class Program
{
    private static int Main(string[] args) => NtpqCli.Run(args, Console.Out, Console.Error, NtpqEnvironment.ForConsole());
}
