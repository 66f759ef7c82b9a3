// systemd's notification protocol on the published daemon: with NOTIFY_SOCKET naming a datagram socket
// of this test (as systemd's would for Type=notify) and WATCHDOG_USEC=400000, ntpd (observe-only, local
// clock at stratum 10, 127.0.0.40) sends READY=1 with a STATUS line once it serves, a STATUS line when
// it synchronizes, WATCHDOG=1 about every 200 ms from its loop, and STOPPING=1 on SIGTERM. Without
// NOTIFY_SOCKET it sends nothing (every other daemon test). Skips without dist/ntpd or root (fails when
// CI=true).
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Stratum.Cli.Tests.Ntpd;

public sealed class NtpdSystemdNotifyTests : IDisposable
{
    private const string Address = "127.0.0.40";

    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-ntpd-notify-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ReadyStatusWatchdogAndStopping_ReachTheNotifySocket()
    {
        string ntpd = PublishedNtpd.Locate();
        PublishedNtpd.RequireRoot();

        string socketPath = Path.Combine(_directory, "notify");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.ReceiveTimeout = 500;
        string config = Path.Combine(_directory, "ntp.conf");
        File.WriteAllText(config, $"""
            disable ntp
            server 127.127.1.0
            fudge 127.127.1.0 stratum 10
            interface ignore all
            interface listen {Address}
            """ + "\n");
        using Process daemon = PublishedNtpd.StartWithoutClockControl(ntpd, config, Path.Combine(_directory, "ntpd.log"), environment:
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath, ["WATCHDOG_USEC"] = "400000" });
        var messages = new List<string>();
        try
        {
            Assert.True(PublishedNtpd.WaitUntilServing(new IPEndPoint(IPAddress.Parse(Address), 123), TimeSpan.FromSeconds(20)));
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(15)
                   && !(messages.Any(m => m.StartsWith("STATUS=synchronized to ", StringComparison.Ordinal)) && messages.Count(m => m == "WATCHDOG=1") >= 5))
            {
                Receive(listener, messages);
            }

            _ = Process.Start("kill", ["-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit(5000);
            watch.Restart();
            while (watch.Elapsed < TimeSpan.FromSeconds(5) && !messages.Contains("STOPPING=1"))
            {
                Receive(listener, messages);
            }
        }
        finally
        {
            if (!daemon.HasExited)
            {
                daemon.Kill();
            }

            daemon.WaitForExit(TimeSpan.FromSeconds(10));
        }

        string all = string.Join(" | ", messages);
        Assert.Equal("READY=1\nSTATUS=serving; no system peer yet", messages[0]);
        Assert.Contains("STATUS=synchronized to LOCAL(0); serving stratum 11", messages);
        Assert.True(messages.Count(m => m == "WATCHDOG=1") >= 5, all);
        Assert.Equal("STOPPING=1", messages[^1]);
    }

    private static void Receive(Socket listener, List<string> messages)
    {
        var buffer = new byte[512];
        try
        {
            int length = listener.Receive(buffer);
            messages.Add(Encoding.UTF8.GetString(buffer, 0, length));
        }
        catch (SocketException)
        {
        }
    }
}
