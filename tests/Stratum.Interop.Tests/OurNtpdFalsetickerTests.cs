// Falseticker rejection on real daemons: three of our servers on loopback, one of them shifted by `fudge 127.127.1.0
// time1 0.050` (it serves the system clock + 50 ms from a private clock; nothing touches the real one),
// and our ntpd as an observe-only client of all three with iburst. Within 30 s the client marks the
// shifted server a falseticker ('x' in `ntpq -pn`), never selects it, and takes one of the other two.
using Stratum.Interop.Tests.Harness;

namespace Stratum.Interop.Tests;

[Collection(InteropCollection.Name)]
public class OurNtpdFalsetickerTests
{
    [Fact]
    public async Task ThreeOfOurServers_OneShifted50ms_IsRejectedAsFalseticker()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _ = InteropEnvironment.OurTool("ntpd");
        await using RunningDaemon a = await DaemonLauncher.StartOurNtpdAsync(InteropAddresses.OurTruechimerA, "", 11, cancellationToken);
        await using RunningDaemon b = await DaemonLauncher.StartOurNtpdAsync(InteropAddresses.OurTruechimerB, "", 11, cancellationToken);
        await using RunningDaemon shifted = await DaemonLauncher.StartOurNtpdAsync(InteropAddresses.OurFalseticker,
            "fudge 127.127.1.0 time1 0.050", 11, cancellationToken);
        string servers = $"""
            server {a.Address} iburst
            server {b.Address} iburst
            server {shifted.Address} iburst
            """;
        await using RunningDaemon client = await DaemonLauncher.StartOurNtpdAsync(InteropAddresses.OurClientOfThree, servers, 12, cancellationToken);

        string falsetickerLine = "";
        ProcessResult peers = null!;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            peers = await ManagedProcess.RunAsync(InteropEnvironment.OurTool("ntpq"), ["-pn", client.Address.ToString()],
                TimeSpan.FromSeconds(10), cancellationToken);
            falsetickerLine = peers.StandardOutput.Split('\n').FirstOrDefault(l => l.Contains(shifted.Address.ToString(), StringComparison.Ordinal)) ?? "";
            if (falsetickerLine.StartsWith('x'))
            {
                break;
            }

            await Task.Delay(1000, cancellationToken);
        }

        Assert.True(falsetickerLine.StartsWith('x'), $"the shifted server is not marked 'x':\n{peers.Describe()}\n{client.Diagnostics()}");
        string systemPeer = peers.StandardOutput.Split('\n').Single(l => l.StartsWith('*'));
        Assert.DoesNotContain(shifted.Address.ToString(), systemPeer, StringComparison.Ordinal);
        string log = await File.ReadAllTextAsync(Path.Combine(client.RunDirectory, "ntpd.log"), cancellationToken);
        Assert.DoesNotContain($"synchronized to {shifted.Address},", log, StringComparison.Ordinal);
        // The shifted server really serves +50 ms: its offset column (ms) is near 50.
        string[] columns = falsetickerLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double offsetMs = double.Parse(columns[^2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(offsetMs, 45, 55);
    }
}
