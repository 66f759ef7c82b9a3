// ntpd in-process with `pool NAME` and `server NAME` lines and an injected resolver (no DNS): the pool
// fills up to `tos maxclock` with one association per address, a named server is mobilized with its
// first address, a name that does not resolve is logged and retried, and nothing is left unmobilized
// silently. The associations poll 127.0.0.30-41, where nothing answers; only mobilization is checked.
using System.Net;
using System.Net.Sockets;
using Stratum.Engine.Associations;
using Stratum.Platform.Hosting;
using Stratum.Platform.Loop;
using Stratum.Tools.Ntpd;

namespace Stratum.Cli.Tests.Ntpd;

public sealed class NtpdNameResolutionTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-ntpd-names-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static IPAddress[] Resolve(string name) => name switch
    {
        "pool.example" => Enumerable.Range(30, 10).Select(i => IPAddress.Parse($"127.0.0.{i}")).ToArray(),
        "time.example" => [IPAddress.Parse("127.0.0.41"), IPAddress.Parse("127.0.0.30")],
        _ => throw new SocketException((int)SocketError.HostNotFound),
    };

    [Fact]
    public void PoolAndNamedServer_MobilizedFromTheResolver_UpToMaxclock()
    {
        string config = Path.Combine(_directory, "ntp.conf");
        File.WriteAllText(config, """
            disable ntp
            interface ignore wildcard
            interface listen 127.0.0.1
            tos maxclock 6
            server time.example iburst
            pool pool.example iburst
            server missing.example
            """);
        DaemonHost? running = null;
        ShutdownSignals? signals = null;
        using var started = new ManualResetEventSlim();
        var stderr = new StringWriter();
        var thread = new Thread(() =>
        {
            var environment = new NtpdEnvironment("/nonexistent", 4242, () => new ShutdownSignals(), (host, s) =>
            {
                running = host;
                signals = s;
                started.Set();
            }, AllowDaemonize: false, Resolve: Resolve);
            NtpdCli.Run(["-n", "-c", config, "--port", "0"], new StringWriter(), stderr, environment);
            started.Set();
        });
        thread.Start();
        Assert.True(started.Wait(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken), "daemon did not start");
        Thread.Sleep(3000);
        signals?.RequestStop(15);
        Assert.True(thread.Join(TimeSpan.FromSeconds(10)), "daemon did not stop");

        Assert.NotNull(running);
        IReadOnlyList<RemoteSource> sources = running.Engine.Sources.Sources;
        string log = stderr.ToString();
        output.WriteLine(log);
        RemoteSource named = Assert.Single(sources, s => s.Association.Settings.DisplayName == "time.example");
        Assert.Equal(IPAddress.Parse("127.0.0.41"), named.Association.Settings.Address.Address);
        List<RemoteSource> members = sources.Where(s => s.Association.Settings.Pool == "pool.example").ToList();
        // maxclock counts every association: the pool stops at 6 in all (5 or 6 members, by which name
        // resolved first), one per distinct address.
        Assert.InRange(sources.Count, 6, 7);
        Assert.InRange(members.Count, 5, 6);
        Assert.Equal(members.Count, members.Select(m => m.Association.Settings.Address.Address).Distinct().Count());
        Assert.All(members, m => Assert.True(m.Association.PacketsSent > 0, $"{m.Association.Settings.DisplayName} never polled"));
        Assert.Contains("Soliciting pool server 127.0.0.3", log, StringComparison.Ordinal);
        Assert.Contains("cannot resolve missing.example:", log, StringComparison.Ordinal);
        Assert.DoesNotContain("not resolved yet", log, StringComparison.Ordinal);
    }
}
