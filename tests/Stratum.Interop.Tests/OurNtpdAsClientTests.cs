// Our ntpd as a client: `server ADDR iburst` against real chronyd and NTPsec on loopback,
// observe-only (`disable ntp`, no CAP_SYS_TIME). Within 10 s it selects the server and serves its
// stratum + 1 with the server's address as refid, and logs ntpd's "synchronized to" line.
using Stratum.Interop.Tests.Harness;

namespace Stratum.Interop.Tests;

[Collection(InteropCollection.Name)]
public class OurNtpdAsClientTests(AnchorServers anchors)
{
    [Fact]
    public async Task OurNtpd_ServerChronydIburst_SelectsItWithinTenSeconds()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _ = InteropEnvironment.OurTool("ntpd");
        RunningDaemon upstream = await anchors.ChronydAsync(cancellationToken);
        await using RunningDaemon ours = await DaemonLauncher.StartOurNtpdClientAsync(
            InteropAddresses.OurNtpdClientOfChronyd, upstream.Address, 1, cancellationToken);

        Assert.True(ours.TimeToReady <= TimeSpan.FromSeconds(10), $"took {ours.TimeToReady}");
        Assert.Equal(2, ours.ReadyReply!.Stratum);
        await AssertLoggedAsync(ours, $"synchronized to {upstream.Address}, stratum 1");
    }

    [Fact]
    public async Task OurNtpd_ServerNtpsecIburst_SelectsItWithinTenSeconds()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _ = InteropEnvironment.OurTool("ntpd");
        RunningDaemon upstream = await anchors.NtpsecAsync(cancellationToken);
        await using RunningDaemon ours = await DaemonLauncher.StartOurNtpdClientAsync(
            InteropAddresses.OurNtpdClientOfNtpsec, upstream.Address, 1, cancellationToken);

        Assert.True(ours.TimeToReady <= TimeSpan.FromSeconds(10), $"took {ours.TimeToReady}");
        await AssertLoggedAsync(ours, $"synchronized to {upstream.Address}, stratum 1");
    }

    private static async Task AssertLoggedAsync(RunningDaemon daemon, string line)
    {
        string log = Path.Combine(daemon.RunDirectory, "ntpd.log");
        for (int i = 0; i < 20; i++)
        {
            if (File.Exists(log) && (await File.ReadAllTextAsync(log)).Contains(line, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"'{line}' not in {log}:\n{daemon.Diagnostics()}");
    }
}
