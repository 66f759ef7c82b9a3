// Our dist/ntpd as a server, checked with the harness's own probe: the local-clock configuration
// (DaemonConfigs.OurNtpd) must serve stratum 11 within 10 s of start, on its configured address
// only, and SIGTERM must stop it with exit code 0 (ARCHITECTURE.md §7). Addresses 127.0.0.21 and
// 127.0.0.25. Without dist/ntpd (./build.sh) they skip, or fail when CI=true.
using System.Net;
using Stratum.Interop.Tests.Harness;

namespace Stratum.Interop.Tests;

[Collection(InteropCollection.Name)]
public class OurNtpdStartupTests(OurNtpdFixture ntpd) : IClassFixture<OurNtpdFixture>
{
    /// <summary>
    /// Synchronized to the local clock driver at stratum 10, Stratum serves stratum 11 with the
    /// driver's address as refid, 127.127.1.0 = 0x7F7F0100, as ntpd 4.2.8 does at any stratum above 1.
    /// </summary>
    public const uint LocalClockReferenceId = 0x7F7F0100;

    private static readonly IPAddress s_address = InteropAddresses.OurNtpdStartup;

    [Fact]
    public async Task OurNtpd_LocalClockConfig_ServesStratum11WithinTenSeconds()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var server = await ntpd.StartAsync(s_address, cancellationToken);
        var ready = server.ReadyReply!;

        Assert.True(server.TimeToReady <= DaemonLauncher.ReadyTimeout, $"took {server.TimeToReady}");
        Assert.Equal(4, ready.Version);
        Assert.Equal(4, ready.Mode);
        Assert.NotEqual(NtpReply.LeapAlarm, ready.LeapIndicator);
        Assert.Equal(DaemonLauncher.OurNtpdStratum, ready.Stratum);
        Assert.True(ready.ReferenceId == LocalClockReferenceId,
            $"refid 0x{ready.ReferenceId:X8} ({ready.ReferenceIdText}), want 0x{LocalClockReferenceId:X8} (127.127.1.0): {ready}");
    }

    [Fact]
    public async Task OurNtpd_ClientQuery_ReplyTimestampsMatchTheSystemClock()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var server = await ntpd.StartAsync(s_address, cancellationToken);

        var reply = await NtpProbe.QueryBestAsync(s_address, samples: 3, cancellationToken);

        Assert.True(reply is not null, $"no reply\n{server.Diagnostics()}");
        Assert.True(Math.Abs(reply.Offset) < ClientTools.MaxLoopbackOffset, $"offset: {reply}");
        Assert.True(reply.Delay is >= -0.0001 and < 0.01, $"implausible loopback delay: {reply}");
        Assert.True(NtpReply.Difference(reply.TransmitTime, reply.ReceiveTime) is >= 0 and < 0.01, $"T3 before T2, or late: {reply}");
        Assert.True(reply.ReferenceTime != 0 && NtpReply.Difference(reply.ReceiveTime, reply.ReferenceTime) >= 0,
            $"reference time must be set and not in the future: {reply}");
        Assert.True(reply.Precision is >= -30 and <= -6, $"implausible precision: {reply}");
        Assert.True(reply.RootDelay >= 0 && reply.RootDispersion is >= 0 and < 1, $"root delay/dispersion: {reply}");
    }

    [Fact]
    public async Task OurNtpd_InterfaceListenConfig_BindsOnlyItsOwnAddress()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var server = await ntpd.StartAsync(s_address, cancellationToken);
        var daemonPid = server.Process.DaemonPid();

        var sockets = await ManagedProcess.RunAsync(InteropEnvironment.Tool("ss"), ["-H", "-u", "-a", "-n", "-p"],
            TimeSpan.FromSeconds(10), cancellationToken);
        var ours = sockets.StandardOutput.Split('\n')
            .Where(line => line.Contains($"pid={daemonPid},", StringComparison.Ordinal))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3])
            .ToList();

        Assert.True(ours.Count > 0 && ours.All(local => local == $"{s_address}:123"),
            $"ntpd (pid {daemonPid}) must have UDP sockets on {s_address}:123 only, has [{string.Join(", ", ours)}]\n{sockets.Describe()}");
    }

    [Fact]
    public async Task OurNtpd_Serving_StaysSmallAndLoadsNoOpenSsl()
    {
        // The server's RSS bound (≤ 10 MB). OpenSSL alone would add about 4 MB: a daemon that
        // authenticates nothing must not load it (IPv6 refids use the managed Md5Digest).
        var cancellationToken = TestContext.Current.CancellationToken;
        var server = await ntpd.StartAsync(s_address, cancellationToken);
        var reply = await NtpProbe.QueryBestAsync(s_address, samples: 3, cancellationToken);
        Assert.NotNull(reply);
        int daemonPid = server.Process.DaemonPid();

        string maps = await File.ReadAllTextAsync($"/proc/{daemonPid}/maps", cancellationToken);
        string status = await File.ReadAllTextAsync($"/proc/{daemonPid}/status", cancellationToken);
        long rssKilobytes = long.Parse(status.Split('\n').Single(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

        Assert.False(maps.Contains("libssl", StringComparison.Ordinal) || maps.Contains("libcrypto", StringComparison.Ordinal),
            $"ntpd (pid {daemonPid}) mapped OpenSSL:\n{string.Join('\n', maps.Split('\n').Where(line => line.Contains("lib", StringComparison.Ordinal)))}");
        Assert.True(rssKilobytes <= 10 * 1024, $"ntpd RSS {rssKilobytes} kB > 10 MB");
    }

    [Fact]
    public async Task OurNtpd_SigTerm_ExitsWithCodeZero()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var server = await DaemonLauncher.StartOurNtpdAsync(InteropAddresses.OurNtpdShutdown, cancellationToken);

        await server.Process.SendTerminateAsync();
        var result = await server.Process.WaitForExitAsync(TimeSpan.FromSeconds(5), cancellationToken);

        Assert.True(result.ExitCode == 0 && !result.TimedOut, $"ntpd should exit 0 on SIGTERM:\n{result.Describe()}");
    }
}
