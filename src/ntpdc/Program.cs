// ntpdc entry point: the mode 7 query tool (with mode 6 fallback). All behaviour lives in NtpdcCli
// so tests run it in-process.
namespace Stratum.Tools.Ntpdc;

internal static class Program
{
    private static int Main(string[] args) => NtpdcCli.Run(args, Console.Out, Console.Error, NtpdcEnvironment.ForConsole());
}
