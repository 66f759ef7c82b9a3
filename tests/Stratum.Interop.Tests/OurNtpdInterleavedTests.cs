// The interleaved mode (RFC 9769) with chrony 4.3, both ways, on loopback and without CAP_SYS_TIME:
// chronyd (-x, never touching the clock) polling our ntpd with `xleave` four times a second must report
// "Interleaved : Yes" in `chronyc ntpdata` (our server reads its replies' kernel transmit stamps back and
// hands them out), and our ntpd with `server CHRONYD xleave` must count interleaved replies from
// chronyd's server (peer variable `interleaved`). The interleaved symmetric mode: our ntpd and a chronyd
// of its own (port 123 on 127.0.0.36, `local stratum 3`) as `peer … xleave` of each other, both polling
// every 8 s: chronyc ntpdata must show our packets as interleaved and ours must count interleaved ones.
using System.Globalization;
using Stratum.Interop.Tests.Harness;

namespace Stratum.Interop.Tests;

[Collection(InteropCollection.Name)]
public class OurNtpdInterleavedTests(AnchorServers anchors)
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ChronydWithXleave_GetsInterleavedRepliesFromOurNtpd()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using RunningDaemon ours = await DaemonLauncher.StartOurNtpdAsync(InteropAddresses.OurInterleavedServer, cancellationToken);
        string run = Directory.CreateTempSubdirectory("stratum-interop-chronyd-xleave-").FullName;
        string socket = Path.Combine(run, "chronyd.sock");
        string config = Path.Combine(run, "chrony.conf");
        await File.WriteAllTextAsync(config, $"""
            # chronyd -x as an interleaved client of our ntpd: no server port, commands on a Unix socket.
            server {InteropAddresses.OurInterleavedServer} minpoll -2 maxpoll -2 xleave
            port 0
            bindcmdaddress {socket}
            pidfile {Path.Combine(run, "chronyd.pid")}
            """ + "\n", cancellationToken);
        await using ManagedProcess chronyd = ManagedProcess.Start(InteropEnvironment.Chronyd(), ["-x", "-d", "-u", "root", "-f", config],
            DaemonLauncher.DaemonHardTimeout, run);
        ProcessResult? data = null;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < s_deadline)
        {
            await Task.Delay(1000, cancellationToken);
            data = await ManagedProcess.RunAsync(InteropEnvironment.Chronyc(), ["-h", socket, "ntpdata", InteropAddresses.OurInterleavedServer.ToString()],
                TimeSpan.FromSeconds(5), cancellationToken);
            if (Field(data.StandardOutput, "Interleaved") == "Yes" && long.Parse(Field(data.StandardOutput, "Total good RX") ?? "0", CultureInfo.InvariantCulture) >= 8)
            {
                break;
            }
        }

        Assert.NotNull(data);
        Assert.True(Field(data.StandardOutput, "Interleaved") == "Yes", $"{data.Describe()}\nchronyd:\n{chronyd.StandardError}\n{ours.Diagnostics()}");
        // A loopback exchange measured with the kernel's transmit stamp: well under 100 µs off.
        string offset = Field(data.StandardOutput, "Offset")!.Split(' ')[0];
        Assert.True(Math.Abs(double.Parse(offset, CultureInfo.InvariantCulture)) < 100e-6, data.Describe());
    }

    [Fact]
    public async Task OurNtpdWithXleave_GetsInterleavedRepliesFromChronyd()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        RunningDaemon upstream = await anchors.ChronydAsync(cancellationToken);
        await using RunningDaemon ours = await DaemonLauncher.StartOurNtpdAsync(InteropAddresses.OurInterleavedClient,
            $"server {upstream.Address} iburst minpoll 3 maxpoll 3 xleave", 2, cancellationToken);
        string variables = string.Empty;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < s_deadline)
        {
            await Task.Delay(1000, cancellationToken);
            variables = await InterleavedVariablesAsync(upstream, cancellationToken);
            if (Interleaved(variables) >= 3)
            {
                break;
            }
        }

        Assert.True(Interleaved(variables) >= 3, $"{variables}\n{ours.Diagnostics()}");
    }

    [Fact]
    public async Task SymmetricPeersWithXleave_OurNtpdAndChronyd_ExchangeInterleavedPackets()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        System.Net.IPAddress oursAddress = InteropAddresses.OurInterleavedPeer;
        System.Net.IPAddress chronydAddress = InteropAddresses.ChronydInterleavedPeer;
        await using RunningDaemon ours = await DaemonLauncher.StartOurNtpdAsync(oursAddress,
            $"peer {chronydAddress} minpoll 3 maxpoll 3 xleave", 11, cancellationToken);
        InteropEnvironment.RequirePortFree(chronydAddress);
        string run = Directory.CreateTempSubdirectory("stratum-interop-chronyd-peer-").FullName;
        string socket = Path.Combine(run, "chronyd.sock");
        string config = Path.Combine(run, "chrony.conf");
        await File.WriteAllTextAsync(config, $"""
            # chronyd -x as an interleaved symmetric peer of our ntpd, serving stratum 3 from its local clock.
            peer {oursAddress} minpoll 3 maxpoll 3 xleave
            bindaddress {chronydAddress}
            port 123
            local stratum 3
            bindcmdaddress {socket}
            pidfile {Path.Combine(run, "chronyd.pid")}
            """ + "\n", cancellationToken);
        await using ManagedProcess chronyd = ManagedProcess.Start(InteropEnvironment.Chronyd(), ["-x", "-d", "-u", "root", "-f", config],
            DaemonLauncher.DaemonHardTimeout, run);
        ProcessResult? data = null;
        string variables = string.Empty;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(2000, cancellationToken);
            data = await ManagedProcess.RunAsync(InteropEnvironment.Chronyc(), ["-h", socket, "ntpdata", oursAddress.ToString()],
                TimeSpan.FromSeconds(5), cancellationToken);
            variables = (await ClientTools.OurNtpqAsync(["-c", "rv 2 srcadr,interleaved,reach", oursAddress.ToString()], cancellationToken)).StandardOutput;
            if (Field(data.StandardOutput, "Interleaved") == "Yes" && Interleaved(variables) >= 3)
            {
                break;
            }
        }

        string context = $"{data?.Describe()}\n{variables}\nchronyd:\n{chronyd.StandardError}\n{ours.Diagnostics()}";
        Assert.NotNull(data);
        Assert.True(Field(data.StandardOutput, "Interleaved") == "Yes", context);
        Assert.Contains($"srcadr={chronydAddress},", variables, StringComparison.Ordinal);
        Assert.True(Interleaved(variables) >= 3, context);
    }

    // `ntpq -c "rv N srcadr,interleaved"` for the association whose srcadr is the upstream.
    private static async Task<string> InterleavedVariablesAsync(RunningDaemon upstream, CancellationToken cancellationToken)
    {
        for (int id = 1; id <= 4; id++)
        {
            ProcessResult result = await ClientTools.OurNtpqAsync(["-c", $"rv {id} srcadr,interleaved", InteropAddresses.OurInterleavedClient.ToString()],
                cancellationToken);
            if (result.StandardOutput.Contains($"srcadr={upstream.Address},", StringComparison.Ordinal))
            {
                return result.StandardOutput;
            }
        }

        return string.Empty;
    }

    private static long Interleaved(string variables)
    {
        int at = variables.IndexOf("interleaved=", StringComparison.Ordinal);
        return at < 0 ? 0 : long.Parse(new string(variables[(at + "interleaved=".Length)..].TakeWhile(char.IsDigit).ToArray()), CultureInfo.InvariantCulture);
    }

    // The value of "NAME : VALUE" in chronyc's output.
    private static string? Field(string output, string name) =>
        output.Split('\n').Where(line => line.StartsWith(name + " ", StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).FirstOrDefault();
}
