// Two published daemons as symmetric peers on 127.0.0.32 and 127.0.0.33, port 123 (observe-only, no
// CAP_SYS_TIME): each sends its peer packets from its NTP port and address, so the other recognizes them
// (peer packets from any other port are not the peer's), both reach each other within seconds, and the
// pair does not form a timing loop: one side follows the other and sees itself in the other's refid.
// Skips without dist/ntpd or root (fails when CI=true).
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Stratum.Cli.Tests.Ntpd;

public sealed class NtpdPeerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-ntpd-peer-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void TwoPeers_ReachEachOther_FromTheirNtpPorts_WithoutATimingLoop()
    {
        string ntpd = PublishedNtpd.Locate();
        PublishedNtpd.RequireRoot();

        string ntpq = Path.Combine(Path.GetDirectoryName(ntpd)!, "ntpq");
        using Process a = Start(ntpd, "127.0.0.32", "127.0.0.33");
        using Process b = Start(ntpd, "127.0.0.33", "127.0.0.32");
        try
        {
            string tableA = string.Empty, tableB = string.Empty;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(40))
            {
                Thread.Sleep(1000);
                tableA = Peers(ntpq, "127.0.0.32");
                tableB = Peers(ntpq, "127.0.0.33");
                if (Reach(tableA, "127.0.0.33") > 0 && Reach(tableB, "127.0.0.32") > 0
                    && (tableA.Contains("(loop)", StringComparison.Ordinal) || tableB.Contains("(loop)", StringComparison.Ordinal)))
                {
                    break;
                }
            }

            Assert.True(Reach(tableA, "127.0.0.33") > 0, tableA);
            Assert.True(Reach(tableB, "127.0.0.32") > 0, tableB);
            // The one that follows the other is seen by it as a loop, never both following each other.
            Assert.True(tableA.Contains("(loop)", StringComparison.Ordinal) ^ tableB.Contains("(loop)", StringComparison.Ordinal), tableA + tableB);
        }
        finally
        {
            Stop(a);
            Stop(b);
        }
    }

    private Process Start(string ntpd, string own, string peer)
    {
        string config = Path.Combine(_directory, $"{own}.conf");
        File.WriteAllText(config, $"""
            disable ntp
            server 127.127.1.0
            fudge 127.127.1.0 stratum 10
            peer {peer} iburst minpoll 4
            interface ignore all
            interface listen {own}
            """);
        Process daemon = PublishedNtpd.StartWithoutClockControl(ntpd, config, Path.Combine(_directory, $"{own}.log"));
        Assert.True(PublishedNtpd.WaitUntilServing(new IPEndPoint(IPAddress.Parse(own), 123), TimeSpan.FromSeconds(20)),
            $"ntpd on {own} did not answer");
        return daemon;
    }

    private static string Peers(string ntpq, string server)
    {
        var start = new ProcessStartInfo(ntpq, ["-pn", server]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start ntpq");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit(TimeSpan.FromSeconds(10));
        return output;
    }

    // The reach column (octal) of the row for `remote`, 0 when absent.
    private static int Reach(string table, string remote)
    {
        string? row = table.Split('\n').FirstOrDefault(line => line.Length > 1 && line[1..].StartsWith(remote + " ", StringComparison.Ordinal));
        string[] columns = row?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return columns.Length > 6 ? Convert.ToInt32(columns[6], 8) : 0;
    }

    private static void Stop(Process daemon)
    {
        if (!daemon.HasExited)
        {
            daemon.Kill();
            daemon.WaitForExit(TimeSpan.FromSeconds(10));
        }
    }
}
