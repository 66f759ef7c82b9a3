// Our dist/ntpdate -q (query only: never sets the clock) against the reference servers, judged by
// what ntp.org ntpdate 4.2.8 does. chronyd (127.0.0.11): the line "server ADDR, stratum 1, offset X,
// delay Y" with |X| < 1 ms, exit 0. ntpsec in orphan mode (127.0.0.1) sends reference time 0, and
// ntpdate 4.2.8's clock_select drops a server whose reference time is more than NTP_MAXAGE (1 day)
// before its origin time: it still prints the server line, then "no server suitable for
// synchronization found", exit 1.
using Stratum.Interop.Tests.Harness;

namespace Stratum.Interop.Tests;

[Collection(InteropCollection.Name)]
public class OurNtpdateTests(AnchorServers anchors)
{
    private const string NoServerSuitable = "no server suitable for synchronization found";

    [Fact]
    public async Task OurNtpdateQuery_AgainstChronyd_PrintsStratum1WithinOneMillisecondAndExitsZero()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _ = InteropEnvironment.OurTool("ntpdate"); // skip before starting chronyd if it is not built
        var server = await anchors.ChronydAsync(cancellationToken);

        var attempts = await ClientTools.SampleAsync(
            token => ClientTools.OurNtpdateQueryAsync(server.Address, token),
            output => NtpdateResult.ParseAll(output.StandardOutput) is [var only] ? only : null,
            result => Math.Abs(result.Offset) < ClientTools.MaxLoopbackOffset, cancellationToken);

        ClientToolAssert.AllParsedWithExitZero(attempts);
        AssertServerLines(attempts, server);
        ClientToolAssert.OneWithinLoopbackOffset(attempts, result => result.Offset);
    }

    [Fact]
    public async Task OurNtpdateQuery_AgainstNtpsecOrphanWithZeroReferenceTime_PrintsServerLineButFindsNoSuitableServer()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _ = InteropEnvironment.OurTool("ntpdate");
        var server = await anchors.NtpsecAsync(cancellationToken);
        Assert.True(server.ReadyReply!.ReferenceTime == 0,
            $"this test assumes ntpsec's orphan-mode reference time 0, got {server.ReadyReply}");

        var attempts = await ClientTools.SampleAsync(
            token => ClientTools.OurNtpdateQueryAsync(server.Address, token),
            output => NtpdateResult.ParseAll(output.StandardOutput) is [var only] ? only : null,
            result => Math.Abs(result.Offset) < ClientTools.MaxLoopbackOffset, cancellationToken);

        foreach (var (output, parsed) in attempts)
        {
            Assert.True(parsed is not null && output.ExitCode == 1 && output.CombinedOutput.Contains(NoServerSuitable, StringComparison.Ordinal),
                $"expected the server line, then '{NoServerSuitable}' and exit 1:\n{ClientTools.Describe(attempts)}");
        }

        AssertServerLines(attempts, server);
        ClientToolAssert.OneWithinLoopbackOffset(attempts, result => result.Offset);
    }

    private static void AssertServerLines(IReadOnlyList<(ProcessResult Output, NtpdateResult? Parsed)> attempts,
        RunningDaemon server)
    {
        foreach (var (_, parsed) in attempts)
        {
            Assert.True(parsed!.Server == server.Address.ToString() && parsed.Stratum == 1 && parsed.Delay is >= 0 and < 0.1,
                $"expected 'server {server.Address}, stratum 1, ...' with a loopback delay:\n{ClientTools.Describe(attempts)}");
        }
    }
}
