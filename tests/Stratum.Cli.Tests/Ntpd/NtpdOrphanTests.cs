// Orphan mode on three published daemons (observe-only, no CAP_SYS_TIME) that are symmetric peers of
// each other on 127.0.0.24-26, port 123, with `tos orphan 5 orphanwait 2` and no other source: after
// two seconds each serves stratum 5, then the two with the higher addresses elect the lowest (.24) as
// orphan parent, as ntpd 4.2.8 does. The parent keeps stratum 5 with refid 127.0.0.1 and no system
// peer; the others show it as `*` at stratum 5 and serve stratum 6. Skips without dist/ntpd or root
// (fails when CI=true).
using System.Diagnostics;
using System.Net;

namespace Stratum.Cli.Tests.Ntpd;

public sealed class NtpdOrphanTests : IDisposable
{
    private static readonly string[] s_addresses = ["127.0.0.24", "127.0.0.25", "127.0.0.26"];

    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-ntpd-orphan-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ThreeOrphanPeers_ElectTheLowestAddress_AndFollowIt()
    {
        string ntpd = PublishedNtpd.Locate();
        PublishedNtpd.RequireRoot();

        string ntpq = Path.Combine(Path.GetDirectoryName(ntpd)!, "ntpq");
        var daemons = new List<Process>();
        try
        {
            foreach (string own in s_addresses)
            {
                daemons.Add(Start(ntpd, own));
            }

            string parent = string.Empty, first = string.Empty, second = string.Empty;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(1000);
                first = Ntpq(ntpq, "127.0.0.25", "-pn");
                second = Ntpq(ntpq, "127.0.0.26", "-pn");
                if (first.Contains("*127.0.0.24", StringComparison.Ordinal) && second.Contains("*127.0.0.24", StringComparison.Ordinal))
                {
                    break;
                }
            }

            parent = Ntpq(ntpq, "127.0.0.24", "-pn");
            string parentVariables = Ntpq(ntpq, "127.0.0.24", "-c", "rv 0 stratum,refid");
            string followerVariables = Ntpq(ntpq, "127.0.0.25", "-c", "rv 0 stratum,refid");
            string context = $"\n.34:\n{parent}{parentVariables}\n.35:\n{first}{followerVariables}\n.36:\n{second}\nlogs:\n{Logs()}";
            Assert.True(Row(first, "127.0.0.24").StartsWith('*'), context);
            Assert.True(Row(second, "127.0.0.24").StartsWith('*'), context);
            Assert.Equal("5", Row(first, "127.0.0.24").Split(' ', StringSplitOptions.RemoveEmptyEntries)[2]);
            Assert.Contains("stratum=5", parentVariables, StringComparison.Ordinal);
            Assert.Contains("refid=127.0.0.1", parentVariables, StringComparison.Ordinal);
            Assert.DoesNotContain("*", parent, StringComparison.Ordinal);
            Assert.Contains("stratum=6", followerVariables, StringComparison.Ordinal);
            Assert.Contains("refid=127.0.0.24", followerVariables, StringComparison.Ordinal);
            Assert.Contains("orphan mode: no source reachable for 2 s; serving stratum 5", File.ReadAllText(Path.Combine(_directory, "127.0.0.24.log")),
                StringComparison.Ordinal);
        }
        finally
        {
            foreach (Process daemon in daemons)
            {
                if (!daemon.HasExited)
                {
                    daemon.Kill();
                    daemon.WaitForExit(TimeSpan.FromSeconds(10));
                }

                daemon.Dispose();
            }
        }
    }

    private Process Start(string ntpd, string own)
    {
        string config = Path.Combine(_directory, $"{own}.conf");
        IEnumerable<string> peers = s_addresses.Where(address => address != own).Select(address => $"peer {address} iburst minpoll 4");
        File.WriteAllText(config, $"""
            disable ntp
            tos orphan 5 orphanwait 2
            {string.Join('\n', peers)}
            interface ignore all
            interface listen {own}
            """);
        Process daemon = PublishedNtpd.StartWithoutClockControl(ntpd, config, Path.Combine(_directory, $"{own}.log"));
        Assert.True(PublishedNtpd.WaitUntilServing(new IPEndPoint(IPAddress.Parse(own), 123), TimeSpan.FromSeconds(20)),
            $"ntpd on {own} did not answer");
        return daemon;
    }

    private static string Ntpq(string ntpq, string server, params string[] arguments)
    {
        var start = new ProcessStartInfo(ntpq) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(server);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start ntpq");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit(TimeSpan.FromSeconds(10));
        return output;
    }

    // The peers-table row whose remote column is `remote` (tally code included), or empty.
    private static string Row(string table, string remote) =>
        table.Split('\n').FirstOrDefault(line => line.Length > 1 && line[1..].StartsWith(remote + " ", StringComparison.Ordinal)) ?? string.Empty;

    private string Logs() =>
        string.Join("\n", s_addresses.Select(address => Path.Combine(_directory, $"{address}.log")).Where(File.Exists)
            .Select(path => $"{Path.GetFileName(path)}:\n{File.ReadAllText(path)}"));
}
