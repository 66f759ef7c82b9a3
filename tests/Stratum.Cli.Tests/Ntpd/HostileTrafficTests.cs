// ntpd in-process on an ephemeral loopback port under hostile traffic (bounded): twenty
// sources on 127.0.0.21–40 send random and truncated datagrams, time requests far over the rate,
// mode 6 and mode 7 queries, replayed server replies and RATE kisses, while a legitimate client on
// 127.0.0.1 keeps asking for the time. The legitimate client must get at least 99% of its answers,
// the attackers get KoDs (themselves limited) or nothing, noquery holds for modes 6 and 7, and the
// MRU list stays within its configured cap. Every loop is bounded in count and in time.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Server;

namespace Stratum.Cli.Tests.Ntpd;

public sealed class HostileTrafficTests : IDisposable
{
    private const int Rounds = 300;
    private const int AttackerCount = 20;
    private const int MruCap = 8;

    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-ntpd-hostile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Ntpd_UnderHostileFlood_KeepsServingTheLegitimateClientWithBoundedState()
    {
        int port = InProcessNtpd.FreePort();
        string config = Path.Combine(_directory, "ntp.conf");
        File.WriteAllText(config, $"""
            server 127.127.1.0
            fudge 127.127.1.0 stratum 10
            disable ntp
            interface ignore wildcard
            interface ignore ::1
            interface listen 127.0.0.1
            restrict default kod limited nomodify notrap nopeer noquery
            restrict 127.0.0.1
            mru maxdepth {MruCap} mindepth 2 maxage 1
            """);
        using var daemon = InProcessNtpd.Start(config, port);
        Assert.True(daemon.Host is not null, $"daemon exited: {daemon.Stderr}");
        var server = new IPEndPoint(IPAddress.Loopback, port);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 1000 };
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var attackers = new List<Socket>();
        try
        {
            for (int i = 0; i < AttackerCount; i++)
            {
                var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 1 };
                attacker.Bind(new IPEndPoint(IPAddress.Parse($"127.0.0.{21 + i}"), 0));
                attackers.Add(attacker);
            }

            // Wait until the local clock is selected (stratum 11), within 10 s.
            var ready = Stopwatch.StartNew();
            while (Query(client, server) is not { Stratum: 11 } && ready.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(100);
            }

            var random = new Random(6);
            int answered = 0;
            var flood = Stopwatch.StartNew();
            int round = 0;
            for (; round < Rounds && flood.Elapsed < TimeSpan.FromSeconds(60); round++)
            {
                foreach (Socket attacker in attackers)
                {
                    SendAttack(attacker, server, random);
                }

                if (Query(client, server) is not null)
                {
                    answered++;
                }
            }

            long kissesSeen = 0;
            foreach (Socket attacker in attackers)
            {
                kissesSeen += DrainKisses(attacker);
            }

            daemon.Stop();
            Assert.Equal(Rounds, round);
            Assert.True(answered >= Rounds * 99 / 100, $"legitimate client answered {answered}/{Rounds}");

            ServerCounters counters = daemon.Host!.Engine.Server.Counters;
            Assert.True(counters.DroppedNoQuery >= Rounds * AttackerCount * 2, $"noquery drops {counters.DroppedNoQuery}");
            Assert.Equal(0, counters.Control);
            Assert.True(counters.DroppedMalformed >= Rounds * AttackerCount, $"malformed drops {counters.DroppedMalformed}");
            Assert.True(counters.DroppedMode >= Rounds * AttackerCount * 2, $"mode drops {counters.DroppedMode}");
            // With 21 sources and room for 8, most attackers are not recorded and so (as in ntpd) not
            // rate limited; those that are get RATE kisses and drops.
            Assert.True(counters.KodSent >= 1, $"KoDs {counters.KodSent}");
            Assert.True(counters.DroppedRateLimited >= 1, $"rate-limit drops {counters.DroppedRateLimited}");
            // Only time requests are ever answered: garbage, replays, kisses and queries never are.
            Assert.True(counters.Replied + counters.KodSent <= (long)Rounds * (AttackerCount + 1) + 200, $"replies {counters.Replied}");
            Assert.True(kissesSeen >= 1, "no RATE kiss reached an attacker");

            Stratum.Engine.Access.MruList mru = daemon.Host.Engine.Server.Access!.Mru;
            Assert.Equal(MruCap, mru.Capacity);
            Assert.True(mru.PeakCount <= MruCap);
            Assert.True(mru.Recycled + mru.NotRecorded > 0, "the list never had to recycle");
        }
        finally
        {
            foreach (Socket attacker in attackers)
            {
                attacker.Dispose();
            }
        }
    }

    /// <summary>One round of one attacker: garbage, truncated header, over-rate request, mode 6 and 7
    /// queries, a replayed server reply and a RATE kiss.</summary>
    private static void SendAttack(Socket attacker, IPEndPoint server, Random random)
    {
        var garbage = new byte[random.Next(0, 120)];
        random.NextBytes(garbage);
        if (garbage.Length > 0)
        {
            // Keep the garbage out of modes 6 and 7 so the query counts below stay exact.
            garbage[0] = (byte)((garbage[0] & 0xF8) | random.Next(0, 6));
        }

        attacker.SendTo(garbage, server);
        var truncated = new byte[random.Next(1, 48)];
        truncated[0] = 0x23;
        attacker.SendTo(truncated, server);
        var request = new byte[48];
        request[0] = 0x23;
        NtpTimestamp.FromParts(0xeeadf1fb, (uint)random.Next()).Write(request.AsSpan(40));
        attacker.SendTo(request, server);
        attacker.SendTo(new byte[] { 0x16, 0x02, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0 }, server);
        var mode7 = new byte[184];
        mode7[0] = 0x17;
        mode7[2] = 3;
        mode7[3] = 4;
        attacker.SendTo(mode7, server);
        var replay = new byte[48];
        replay[0] = 0x24;
        replay[1] = 2;
        attacker.SendTo(replay, server);
        var kiss = new byte[48];
        kiss[0] = 0xE4;
        "RATE"u8.CopyTo(kiss.AsSpan(12));
        attacker.SendTo(kiss, server);
    }

    /// <summary>Reads what the daemon sent an attacker (bounded): counts RATE kisses.</summary>
    private static long DrainKisses(Socket attacker)
    {
        long kisses = 0;
        var buffer = new byte[600];
        for (int i = 0; i < 10_000 && attacker.Available > 0; i++)
        {
            int length = attacker.Receive(buffer);
            if (length >= 48 && buffer[1] == 0 && buffer.AsSpan(12, 4).SequenceEqual("RATE"u8))
            {
                kisses++;
            }
        }

        return kisses;
    }

    private static NtpHeader? Query(Socket client, IPEndPoint server)
    {
        var transmit = NtpTimestamp.FromUnixNanoseconds((DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100);
        var request = new byte[48];
        request[0] = 0x23;
        transmit.Write(request.AsSpan(40));
        client.SendTo(request, server);
        var buffer = new byte[128];
        try
        {
            for (int attempt = 0; attempt < 4; attempt++)
            {
                // A late reply to an earlier query may be waiting: skip it, bounded.
                int length = client.Receive(buffer);
                NtpHeader header = NtpHeader.Read(buffer.AsSpan(0, length));
                if (header.OriginTime == transmit)
                {
                    return header;
                }
            }

            return null;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
