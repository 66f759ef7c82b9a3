// ntpd entry point: all behaviour is in NtpdCli so tests can run it in-process.
namespace Stratum.Tools.Ntpd;

internal static class Program
{
    private static int Main(string[] args) =>
        NtpdCli.Run(args, Console.Out, Console.Error, NtpdEnvironment.System());
}
