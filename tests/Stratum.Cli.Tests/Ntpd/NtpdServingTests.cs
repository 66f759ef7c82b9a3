// ntpd in-process on an ephemeral loopback port: it starts on a config with the local clock at
// stratum 10, answers a client with stratum 11 / refid 127.127.1.0 within 10 s, keeps answering a normal
// client while a stream of malformed packets is dropped and counted, and stops cleanly.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Stratum.Core.Time;
using Stratum.Core.Wire;

namespace Stratum.Cli.Tests.Ntpd;

public sealed class NtpdServingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-ntpd-serve-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static byte[] ClientRequest(NtpTimestamp transmit)
    {
        var request = new byte[48];
        request[0] = 0x23;
        transmit.Write(request.AsSpan(40));
        return request;
    }

    private static NtpHeader? Query(Socket client, IPEndPoint server)
    {
        var transmit = NtpTimestamp.FromUnixNanoseconds((DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100);
        client.SendTo(ClientRequest(transmit), server);
        var buffer = new byte[128];
        try
        {
            int length = client.Receive(buffer);
            NtpHeader header = NtpHeader.Read(buffer.AsSpan(0, length));
            return header.OriginTime == transmit ? header : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    [Fact]
    public void Ntpd_LocalClockStratum10_ServesStratum11WithinTenSeconds()
    {
        int port = InProcessNtpd.FreePort();
        string config = Path.Combine(_directory, "ntp.conf");
        File.WriteAllText(config, """
            server 127.127.1.0
            fudge 127.127.1.0 stratum 10
            disable ntp
            interface ignore wildcard
            interface listen 127.0.0.1
            """);
        using var daemon = InProcessNtpd.Start(config, port);
        Assert.NotNull(daemon.Host);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 1000 };
        var server = new IPEndPoint(IPAddress.Loopback, port);
        var watch = Stopwatch.StartNew();
        NtpHeader? reply = null;
        while (watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            reply = Query(client, server);
            if (reply is { Stratum: 11 })
            {
                break;
            }

            Thread.Sleep(200);
        }

        Assert.NotNull(reply);
        Assert.Equal(11, reply.Value.Stratum);
        Assert.Equal(LeapIndicator.NoWarning, reply.Value.Leap);
        Assert.Equal("127.127.1.0", reply.Value.ReferenceId.ToDottedQuad());
        Assert.Equal(NtpMode.Server, reply.Value.Mode);
        double offset = (reply.Value.TransmitTime.ToUnixNanoseconds() / 1e9) - ((DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 1e7);
        Assert.InRange(offset, -0.5, 0.5);

        daemon.Stop();
        Assert.Equal(0, daemon.ExitCode);
        string log = daemon.Stderr.ToString();
        Assert.Contains("ntpd Stratum 0.1.0 (ntpd 4.2.8 compatible): Starting", log);
        Assert.Contains($"Listen normally on 0 lo 127.0.0.1:{port}", log);
        Assert.Contains("synchronized to LOCAL(0), stratum 10", log);
        Assert.Contains("ntpd exiting on signal 15 (Terminated)", log);
    }

    [Fact]
    public void Ntpd_StatisticsProtostats_WritesTheRestartEvent()
    {
        int port = InProcessNtpd.FreePort();
        string stats = Directory.CreateDirectory(Path.Combine(_directory, "stats")).FullName;
        string config = Path.Combine(_directory, "ntp.conf");
        File.WriteAllText(config, $"server 127.127.1.0\nfudge 127.127.1.0 stratum 10\ndisable ntp\ninterface ignore wildcard\ninterface listen 127.0.0.1\n"
            + $"statsdir {stats}/\nstatistics protostats\nfilegen protostats file protostats type none enable\n");
        using (var daemon = InProcessNtpd.Start(config, port))
        {
            daemon.Stop();
            Assert.Equal(0, daemon.ExitCode);
            Assert.DoesNotContain("protostats", daemon.Stderr.ToString(), StringComparison.Ordinal);
        }

        string[] lines = File.ReadAllLines(Path.Combine(stats, "protostats"));
        Assert.Contains(lines, line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^\d{5} \d{1,5}\.\d{3} 0\.0\.0\.0 c016 06 restart$"));
    }

    [Fact]
    public void Ntpd_TinkerFreq_GivesTheInitialFrequency_InsteadOfTheDriftFile()
    {
        int port = InProcessNtpd.FreePort();
        string config = Path.Combine(_directory, "ntp.conf");
        string drift = Path.Combine(_directory, "ntp.drift");
        File.WriteAllText(drift, "7.000\n");
        File.WriteAllText(config, $"server 127.127.1.0\ndisable ntp\ninterface ignore wildcard\ninterface listen 127.0.0.1\ndriftfile {drift}\ntinker freq -12.5\n");
        using (var daemon = InProcessNtpd.Start(config, port))
        {
            daemon.Stop();
            string log = daemon.Stderr.ToString();
            Assert.Contains("initial drift set to -12.500000 by tinker freq", log, StringComparison.Ordinal);
            Assert.DoesNotContain("initial drift restored", log, StringComparison.Ordinal);
            Assert.DoesNotContain("tinker", log.Replace("by tinker freq", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Ntpd_MalformedStream_IsDroppedAndCountedWhileClientIsServed()
    {
        int port = InProcessNtpd.FreePort();
        string config = Path.Combine(_directory, "ntp.conf");
        File.WriteAllText(config, "server 127.127.1.0\nfudge 127.127.1.0 stratum 10\ndisable ntp\ninterface ignore wildcard\ninterface listen 127.0.0.1\n");
        using var daemon = InProcessNtpd.Start(config, port);
        var server = new IPEndPoint(IPAddress.Loopback, port);
        using var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 1000 };
        var random = new Random(7);
        int answered = 0;
        const int Rounds = 50;
        for (int round = 0; round < Rounds; round++)
        {
            // Truncated, oversized, wrong-version and wrong-mode packets.
            attacker.SendTo(new byte[random.Next(0, 47)], server);
            attacker.SendTo(new byte[1500], server);
            var wrongVersion = new byte[48];
            wrongVersion[0] = (byte)((random.Next(5, 8) << 3) | 3);
            attacker.SendTo(wrongVersion, server);
            var wrongMode = new byte[48];
            wrongMode[0] = (byte)((4 << 3) | random.Next(4, 6));
            attacker.SendTo(wrongMode, server);
            if (Query(client, server) is not null)
            {
                answered++;
            }
        }

        daemon.Stop();
        Assert.Equal(Rounds, answered);
        Stratum.Engine.Server.ServerCounters counters = daemon.Host!.Engine.Server.Counters;
        Assert.Equal(Rounds * 4, counters.Dropped);
        Assert.Equal(Rounds, counters.Replied);
    }

    [Fact]
    public void Ntpd_DebugFlag_LogsEachDatagramDecision()
    {
        int port = InProcessNtpd.FreePort();
        string config = Path.Combine(_directory, "ntp.conf");
        File.WriteAllText(config, "server 127.127.1.0\ndisable ntp\ninterface ignore wildcard\ninterface ignore ::1\ninterface listen 127.0.0.1\n");
        using var daemon = InProcessNtpd.Start(config, port, "-d");
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 1000 };
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Assert.NotNull(Query(client, new IPEndPoint(IPAddress.Loopback, port)));
        client.SendTo(new byte[10], new IPEndPoint(IPAddress.Loopback, port));
        Thread.Sleep(300);
        daemon.Stop();
        string log = daemon.Stderr.ToString();
        int clientPort = ((IPEndPoint)client.LocalEndPoint!).Port;
        Assert.Contains($"received 48 bytes from 127.0.0.1:{clientPort}: Reply", log);
        Assert.Contains($"received 10 bytes from 127.0.0.1:{clientPort}: DropMalformed", log);
    }
}
