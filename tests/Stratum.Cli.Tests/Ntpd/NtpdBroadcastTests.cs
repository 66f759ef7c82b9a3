// Broadcast, multicast and manycast between two published daemons in network namespaces joined by a
// veth pair (NetworkNamespacePair; loopback has no broadcast), both observe-only and without
// CAP_SYS_TIME. The server is synchronized to its local clock at stratum 3. (1) `broadcast ADDR key 1`
// to the subnet's broadcast address and a `broadcastclient` with the key: the client runs its volley
// (type `u` meanwhile, already selectable), then listens and keeps the server selected (ntpq: `*` and type `b`; the server shows its `B` association
// with refid .BCST.). (2) `broadcast GROUP` unsigned and a `multicastclient GROUP` with `disable auth`
// and `broadcastdelay` (no volley). (3) `manycastserver GROUP` and `manycastclient GROUP key 1`: the
// client's solicitor (type `a`, .ACST.) mobilizes a client association for the server and selects it.
using System.Diagnostics;

namespace Stratum.Cli.Tests.Ntpd;

public sealed class NtpdBroadcastTests : IDisposable
{
    private const string KeyLine = "1 SHA1 0123456789abcdef0123456789abcdef01234567\n";

    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-ntpd-broadcast-").FullName;

    public NtpdBroadcastTests() => File.WriteAllText(Path.Combine(_directory, "keys"), KeyLine);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string ServerConfig(string lines) =>
        $"server 127.127.1.0\nfudge 127.127.1.0 stratum 3\nkeys {_directory}/keys\ntrustedkey 1\ndisable ntp\n{lines}\n";

    private string ClientConfig(string lines) => $"keys {_directory}/keys\ntrustedkey 1\ndisable ntp\n{lines}\n";

    [Fact]
    public void SignedBroadcast_ClientRunsTheVolley_ThenListensAndSelectsTheServer()
    {
        string ntpd = PublishedNtpd.Locate();
        using NetworkNamespacePair pair = NetworkNamespacePair.Create(subnet: 11);
        (string client, string server, string logs) = Run(ntpd, pair,
            ServerConfig($"broadcast {pair.BroadcastAddress} key 1 minpoll 3"),
            ClientConfig("broadcastclient"),
            done: peers => Row(peers, pair.ServerAddress).StartsWith('*') && Column(Row(peers, pair.ServerAddress), 3) == "b");

        string context = $"\nclient:\n{client}\nserver:\n{server}\n{logs}";
        string row = Row(client, pair.ServerAddress);
        Assert.True(row.StartsWith('*'), context);
        Assert.Equal("b", Column(row, 3));
        Assert.Equal("4", Column(row, 2));
        string broadcast = Row(server, pair.BroadcastAddress);
        Assert.Equal(".BCST.", Column(broadcast, 1));
        Assert.Equal("B", Column(broadcast, 3));
        Assert.Contains($"broadcast client: association 1 mobilized for server {pair.ServerAddress}", logs, StringComparison.Ordinal);
        string variables = NetworkNamespacePair.Exec(pair.ClientNamespace, Ntpq(ntpd), "-c", "rv 1 hmode,pmode,keyid", "127.0.0.1");
        Assert.Contains("hmode=6", variables, StringComparison.Ordinal);
        Assert.Contains("pmode=5", variables, StringComparison.Ordinal);
        Assert.Contains("keyid=1", variables, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsignedMulticast_WithAuthDisabledAndBroadcastDelay_SelectedWithoutAVolley()
    {
        string ntpd = PublishedNtpd.Locate();
        using NetworkNamespacePair pair = NetworkNamespacePair.Create(subnet: 12);
        string group = "239.201.12.1";
        (string client, string server, string logs) = Run(ntpd, pair,
            ServerConfig($"broadcast {group} minpoll 3 ttl 1"),
            ClientConfig($"multicastclient {group}\ndisable auth\nbroadcastdelay 0.0002"),
            done: peers => Row(peers, pair.ServerAddress).StartsWith('*'));

        string context = $"\nclient:\n{client}\nserver:\n{server}\n{logs}";
        string row = Row(client, pair.ServerAddress);
        Assert.True(row.StartsWith('*'), context);
        Assert.Equal("b", Column(row, 3));
        Assert.Equal("M", Column(Row(server, group), 3));
        Assert.Equal(".MCST.", Column(Row(server, group), 1));
        Assert.Contains($"Listen for multicast {group}", logs, StringComparison.Ordinal);
    }

    [Fact]
    public void Manycast_SolicitorMobilizesTheServer_AndSelectsIt()
    {
        string ntpd = PublishedNtpd.Locate();
        using NetworkNamespacePair pair = NetworkNamespacePair.Create(subnet: 13);
        string group = "239.201.13.1";
        (string client, string server, string logs) = Run(ntpd, pair,
            ServerConfig($"manycastserver {group}"),
            ClientConfig($"manycastclient {group} key 1 minpoll 3 iburst"),
            done: peers => Row(peers, pair.ServerAddress).StartsWith('*'));

        string context = $"\nclient:\n{client}\nserver:\n{server}\n{logs}";
        Assert.True(Row(client, pair.ServerAddress).StartsWith('*'), context);
        Assert.Equal("u", Column(Row(client, pair.ServerAddress), 3));
        string solicitor = Row(client, group);
        Assert.Equal(".ACST.", Column(solicitor, 1));
        Assert.Equal("a", Column(solicitor, 3));
        Assert.Contains($"manycast client {group}: association 2 mobilized for server {pair.ServerAddress}", logs, StringComparison.Ordinal);
    }

    // Starts both daemons, polls the client's `ntpq -pn` once a second until done (at most 75 s); returns the
    // client's and server's last peers tables and both logs.
    private (string Client, string Server, string Logs) Run(string ntpd, NetworkNamespacePair pair, string serverConfig, string clientConfig,
        Func<string, bool> done)
    {
        string serverConf = Path.Combine(_directory, "server.conf");
        string clientConf = Path.Combine(_directory, "client.conf");
        File.WriteAllText(serverConf, serverConfig);
        File.WriteAllText(clientConf, clientConfig);
        pair.StartNtpd(pair.ServerNamespace, ntpd, serverConf, Path.Combine(_directory, "server.log"));
        pair.StartNtpd(pair.ClientNamespace, ntpd, clientConf, Path.Combine(_directory, "client.log"));
        string client = string.Empty;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(75))
        {
            Thread.Sleep(1000);
            client = NetworkNamespacePair.Exec(pair.ClientNamespace, Ntpq(ntpd), "-pn", "127.0.0.1");
            if (done(client))
            {
                break;
            }
        }

        string server = NetworkNamespacePair.Exec(pair.ServerNamespace, Ntpq(ntpd), "-pn", "127.0.0.1");
        string logs = $"client log:\n{Read("client.log")}\nserver log:\n{Read("server.log")}";
        return (client, server, logs);
    }

    private string Read(string name)
    {
        string path = Path.Combine(_directory, name);
        return File.Exists(path) ? File.ReadAllText(path) : "(none)";
    }

    private static string Ntpq(string ntpd) => Path.Combine(Path.GetDirectoryName(ntpd)!, "ntpq");

    // The peers table row whose remote column is <paramref name="remote"/> (tally code kept), or "".
    private static string Row(string peers, string remote) =>
        peers.Split('\n').FirstOrDefault(line => line.Length > 1 && line[1..].StartsWith(remote + " ", StringComparison.Ordinal)) ?? string.Empty;

    // Column <paramref name="index"/> of a row: 0 remote, 1 refid, 2 st, 3 t, ...
    private static string Column(string row, int index)
    {
        string[] columns = row.Length > 1 ? row[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        return index < columns.Length ? columns[index] : string.Empty;
    }
}
