// ntpdc entry point. The mode 6/7 query tool arrives with the ntpq/ntpdc issue; until then it says
// so plainly and exits 1 rather than pretending to query anything.
namespace Stratum.Tools.Ntpdc;

internal static class Program
{
    private static int Main(string[] args) => NtpdcCli.Run(args, Console.Out, Console.Error);
}
