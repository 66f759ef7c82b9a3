// Assertions shared by the client-tool tests: every attempt must have produced a parseable result
// (stratum, address, exit code 0), and at least one of the at most five attempts must be within
// the loopback offset bound. Messages carry every attempt's full output.
using System.Net;

namespace Stratum.Interop.Tests.Harness;

public static class ClientToolAssert
{
    public static void AllParsedWithExitZero<T>(IReadOnlyList<(ProcessResult Output, T? Parsed)> attempts)
        where T : class
    {
        foreach (var (output, parsed) in attempts)
        {
            Assert.True(parsed is not null && output.ExitCode == 0,
                $"a query gave no result (or a non-zero exit):\n{ClientTools.Describe(attempts)}");
        }
    }

    public static void AllReportStratum(IReadOnlyList<(ProcessResult Output, NtpdigResult? Parsed)> attempts,
        IPAddress server, int stratum)
    {
        AllParsedWithExitZero(attempts);
        foreach (var (_, parsed) in attempts)
        {
            Assert.True(parsed!.Stratum == stratum && parsed.Address == server.ToString() && parsed.Leap == "no-leap",
                $"expected {server} at stratum {stratum}, no-leap:\n{ClientTools.Describe(attempts)}");
        }
    }

    public static void OneWithinLoopbackOffset<T>(IReadOnlyList<(ProcessResult Output, T? Parsed)> attempts,
        Func<T, double> offset)
        where T : class
    {
        Assert.True(attempts.Any(a => a.Parsed is not null && Math.Abs(offset(a.Parsed)) < ClientTools.MaxLoopbackOffset),
            $"no attempt had |offset| < {ClientTools.MaxLoopbackOffset} s:\n{ClientTools.Describe(attempts)}");
    }
}
