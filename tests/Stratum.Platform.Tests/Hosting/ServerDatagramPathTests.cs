// The one server datagram path (ServerDatagramPath) as the main loop (DaemonHost) and an extra
// --server-threads loop (ServerLoop) run it, on loopback: the same requests get byte-identical
// replies from both loops (plain and signed, on a fixed clock, so receive and transmit stamps are
// equal too); a restrict line added at run time applies on the extra loop after one snapshot
// publish; and with the steering program off, modes 6 and 7 and symmetric packets that reach the
// extra loops are handed to the main loop, which answers them (a configured peer's packets go to
// its association only from its NTP port; from another port the stateless server answers), none dropped. The loops are driven by the test's own thread where the test
// needs determinism, by their threads (eventfd wake-ups) where it checks the hand-over.
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Stratum.Core.Auth;
using Stratum.Core.Config;
using Stratum.Core.Mode6;
using Stratum.Core.Mode7;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.Access;
using Stratum.Engine.Associations;
using Stratum.Platform.Clock;
using Stratum.Platform.Hosting;
using Stratum.Platform.Loop;
using Stratum.Platform.Net;

namespace Stratum.Platform.Tests.Hosting;

public class ServerDatagramPathTests
{
    private const int ClientCount = 16;
    private static readonly SymmetricKey s_key = new(1, KeyType.Md5, "shared-path"u8, []);
    private static readonly NtpTimestamp s_clientTransmit = NtpTimestamp.FromParts(0xeeadf1fb, 0x01020304);

    private static byte[] Request(NtpMode mode = NtpMode.Client, SymmetricKey? key = null)
    {
        var request = new byte[48 + 24];
        request[0] = (byte)((4 << 3) | (byte)mode);
        request[2] = 6;
        s_clientTransmit.Write(request.AsSpan(40));
        return request[..(key is null ? 48 : PacketMac.Append(key, request, 48))];
    }

    private static List<Socket> Clients(string address, int count)
    {
        var clients = new List<Socket>();
        for (int i = 0; i < count; i++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 2000 };
            client.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
            clients.Add(client);
        }

        return clients;
    }

    /// <summary>A main loop (host) and one extra loop on the test's thread, sharing one SO_REUSEPORT group.</summary>
    private static (DaemonHost Host, ServerLoopGroup Group, ServerLoop Loop) Loops(NtpEngine engine, IClockDriver clock)
    {
        var host = new DaemonHost(clock, engine, NullLogger.Instance) { ServerThreads = 1 };
        Assert.True(host.Bind([new ListenEndpoint(new IPEndPoint(IPAddress.Loopback, 0), "lo", false)]));
        ServerLoopGroup? group = ServerLoopGroup.TryStart(1, host.Sockets, engine, DaemonHost.DefaultIoBatch, TransmitStamping.PerDatagram, NullLogger.Instance, out string? error,
            null, steerControl: true, startThreads: false, loopClock: clock);
        Assert.True(group is not null, error);
        ServerLoop loop = group.Loops[0];
        loop.OnStart(new LoopTime(clock.ReadMonotonicNanoseconds(), NtpTimestamp.FromUnixNanoseconds(clock.ReadRealtimeNanoseconds())));
        return (host, group, loop);
    }

    /// <summary>Lets both loops serve what is waiting (the kernel's hash picked one of them for each client).</summary>
    private static void Pump(DaemonHost host, ServerLoop loop)
    {
        Thread.Sleep(50);
        host.OnReadable(host.Sockets[0]);
        loop.OnReadable(loop.Sockets[0]);
    }

    [Fact]
    public void Serve_SameRequests_MainAndExtraLoopAnswerTheSameBytes()
    {
        var clock = new FixedClock();
        var engine = new NtpEngine(new EngineConfiguration([], [], false) with { Keys = new KeyRing(new KeyTable([s_key]), [1u]) }, -24);
        engine.System.Update(LeapIndicator.NoWarning, 2, ReferenceId.FromAscii("GPS"), 0.0021, 0.0034,
            new LoopTime(clock.Mono - (5 * LoopTime.NanosecondsPerSecond), NtpTimestamp.FromUnixNanoseconds(clock.Real - 5_000_000_000)), "GPS");
        (DaemonHost host, ServerLoopGroup group, ServerLoop loop) = Loops(engine, clock);
        List<Socket> clients = Clients("127.0.0.1", ClientCount);
        try
        {
            var answers = new List<byte[]>();
            foreach (SymmetricKey? key in new[] { null, s_key })
            {
                byte[] request = Request(key: key);
                foreach (Socket client in clients)
                {
                    client.SendTo(request, host.Sockets[0].LocalEndPoint);
                }

                Pump(host, loop);
                var reply = new byte[128];
                byte[]? first = null;
                foreach (Socket client in clients)
                {
                    byte[] answer = reply[..client.Receive(reply)];
                    first ??= answer;
                    Assert.Equal(first, answer);
                }

                answers.Add(first!);
            }

            Assert.True(engine.Server.Counters.Replied > 0, "the main loop answered nothing");
            Assert.True(loop.Server.Counters.Replied > 0, "the extra loop answered nothing");
            Assert.Equal(2 * ClientCount, engine.Server.Counters.Replied + loop.Server.Counters.Replied);

            NtpHeader header = NtpHeader.Read(answers[0]);
            Assert.Equal((2, "GPS", s_clientTransmit), (header.Stratum, header.ReferenceId.ToAscii(), header.OriginTime));
            Assert.Equal(NtpTimestamp.FromUnixNanoseconds(clock.Real), header.TransmitTime);
            Assert.Equal(48 + 20, answers[1].Length);
            Assert.True(NtpPacket.TryRead(answers[1], out NtpPacket signed, out _));
            Assert.True(PacketMac.Verify(s_key, signed));
        }
        finally
        {
            DisposeAll(clients, group, host);
        }
    }

    [Fact]
    public void RestrictAddedAtRunTime_AppliesOnTheExtraLoopAfterOnePublish()
    {
        var engine = new NtpEngine(new EngineConfiguration([], [], false), -24);
        (DaemonHost host, ServerLoopGroup group, ServerLoop loop) = Loops(engine, new ObserveOnlyClockDriver());
        List<Socket> clients = Clients("127.0.0.1", ClientCount);
        try
        {
            byte[] request = Request();
            foreach (Socket client in clients)
            {
                client.SendTo(request, host.Sockets[0].LocalEndPoint);
            }

            Pump(host, loop);
            var reply = new byte[128];
            foreach (Socket client in clients)
            {
                Assert.Equal(48, client.Receive(reply));
            }

            Assert.True(loop.Server.Counters.Replied > 0, "no client hashed to the extra loop");

            // What ntpq :config "restrict 127.0.0.1 noserve" does on the main loop, then the publish
            // the main loop makes after every event.
            engine.Server.Access!.AddRestrictions(ConfigParser.Parse("restrict 127.0.0.1 noserve\n", "runtime").Config.Restrictions);
            group.Publish(engine);
            foreach (Socket client in clients)
            {
                client.SendTo(request, host.Sockets[0].LocalEndPoint);
            }

            Pump(host, loop);
            Assert.True(loop.Server.Counters.DroppedNoServe > 0, "the extra loop did not apply the new restrict line");
            Assert.Equal(ClientCount, engine.Server.Counters.DroppedNoServe + loop.Server.Counters.DroppedNoServe);
            Assert.Same(engine.Server.Access.Inputs, loop.Server.Access!.Inputs);
            foreach (Socket client in clients)
            {
                client.ReceiveTimeout = 100;
                Assert.Throws<SocketException>(() => client.Receive(reply));
            }
        }
        finally
        {
            DisposeAll(clients, group, host);
        }
    }

    [Fact]
    public void ExtraLoops_ModesSixSevenAndPeerPackets_AnsweredByTheMainLoop()
    {
        var peer = new RemoteAssociationSettings(new IPEndPoint(IPAddress.Loopback, 123), AssociationMode.SymmetricActive, false, false, false, false, false, 6, 10, 4, "127.0.0.1");
        var engine = new NtpEngine(new EngineConfiguration([], [], false, [peer]), -24, new CryptoRandomSource());
        engine.Control.Host.Mode7Enabled = true;
        using var host = new DaemonHost(new ObserveOnlyClockDriver(), engine, NullLogger.Instance) { ServerThreads = 2, SteerControlQueries = false };
        Assert.True(host.Bind([new ListenEndpoint(new IPEndPoint(IPAddress.Loopback, 0), "lo", false)]));
        IPEndPoint server = host.Sockets[0].LocalEndPoint;
        using var signals = new ShutdownSignals();
        var runner = new Thread(() => host.Run(signals)) { IsBackground = true };
        runner.Start();
        var clients = new List<Socket>();
        try
        {
            for (int i = 0; i < 2000 && host.ServerLoops is null; i++)
            {
                Thread.Sleep(5);
            }

            Assert.NotNull(host.ServerLoops);
            var mode6 = new byte[ControlMessage.HeaderSize];
            ControlMessage.Write(ControlHeader.Request(ControlOpcode.ReadStatus, 1, 0, 0), [], mode6);
            var mode7 = new byte[Mode7Message.RequestLength];
            Mode7Message.Write(Mode7Header.ForRequest(Mode7Implementation.Xntpd, Mode7RequestCode.SystemInfo), [], mode7);
            var reply = new byte[1024];
            for (int i = 0; i < ClientCount; i++)
            {
                // One source address each: the query budgets are per address.
                List<Socket> one = Clients($"127.0.1.{i + 1}", 3);
                clients.AddRange(one);
                one[0].SendTo(mode6, server);
                one[1].SendTo(mode7, server);
                one[2].SendTo(Request(NtpMode.SymmetricActive), server);
                int length = one[0].Receive(reply);
                Assert.True(length >= ControlMessage.HeaderSize && (reply[0] & 0x07) == 6 && (reply[1] & 0x80) != 0, "no mode 6 response");
                length = one[1].Receive(reply);
                Assert.True(length > 0 && (reply[0] & 0x07) == 7, "no mode 7 response");
                Assert.Equal(48, one[2].Receive(reply));
                Assert.Equal(NtpMode.SymmetricPassive, NtpHeader.Read(reply).Mode);
            }

            // From the configured peer's address but not its NTP port: not the peer's (a spoofer could
            // send them), so the main loop's stateless server answers them and the association sees none.
            List<Socket> fromPeer = Clients("127.0.0.1", ClientCount);
            clients.AddRange(fromPeer);
            foreach (Socket client in fromPeer)
            {
                client.SendTo(Request(NtpMode.SymmetricActive), server);
            }

            foreach (Socket client in fromPeer)
            {
                Assert.Equal(48, client.Receive(reply));
                Assert.Equal(NtpMode.SymmetricPassive, NtpHeader.Read(reply).Mode);
            }
        }
        finally
        {
            signals.RequestStop(15);
            Assert.True(runner.Join(TimeSpan.FromSeconds(10)), "the loops did not stop within 10 s");
            foreach (Socket client in clients)
            {
                client.Dispose();
            }
        }

        ServerLoopGroup group = host.ServerLoops!;
        Assert.True(group.HandedOver > 0, "no datagram reached an extra loop");
        Assert.Equal(0, group.HandoffDropped);
        // Drained only on the main loop's eventfd wake-ups (OnWakeup).
        Assert.Equal(group.HandedOver, host.HandedOverServed);
        long peerPackets = 0;
        foreach (long dropped in engine.Sources.Sources[0].Association.DroppedReplies)
        {
            peerPackets += dropped;
        }

        Assert.Equal(0, peerPackets);
        long extraReplies = 0;
        foreach (Stratum.Engine.Server.ServerResponder loopServer in group.Servers)
        {
            extraReplies += loopServer.Counters.Received;
        }

        Assert.Equal(0, extraReplies);
    }

    [Fact]
    public void SharedPath_ExtraLoopAndHandOver_AllocateNothing()
    {
        var engine = new NtpEngine(new EngineConfiguration([], [], false), -24);
        (DaemonHost host, ServerLoopGroup group, ServerLoop loop) = Loops(engine, new ObserveOnlyClockDriver());
        host.ServerLoops = group;
        List<Socket> clients = Clients("127.0.0.1", ClientCount);
        try
        {
            byte[] client = Request();
            byte[] active = Request(NtpMode.SymmetricActive);
            var reply = new byte[128];
            for (int round = 0; round < 2; round++)
            {
                foreach (Socket socket in clients)
                {
                    socket.SendTo(client, host.Sockets[0].LocalEndPoint);
                    socket.SendTo(active, host.Sockets[0].LocalEndPoint);
                }

                Thread.Sleep(50);
                // Round 0 warms up (JIT, first snapshot); round 1 is measured: both loops' batches,
                // the extra loop's hand-over of the mode 1 packets, and the main loop's drain.
                long before = GC.GetAllocatedBytesForCurrentThread();
                host.OnReadable(host.Sockets[0]);
                loop.OnReadable(loop.Sockets[0]);
                host.OnWakeup();
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                if (round == 1)
                {
                    Assert.Equal(0, allocated);
                }

                foreach (Socket socket in clients)
                {
                    Assert.Equal(48, socket.Receive(reply));
                    Assert.Equal(48, socket.Receive(reply));
                }
            }

            Assert.True(loop.Server.Counters.Replied > 0, "no client hashed to the extra loop");
            Assert.True(group.HandedOver > 0, "the extra loop handed nothing over");
            Assert.Equal(group.HandedOver, host.HandedOverServed);
        }
        finally
        {
            host.ServerLoops = null;
            DisposeAll(clients, group, host);
        }
    }

    private static void DisposeAll(List<Socket> clients, ServerLoopGroup group, DaemonHost host)
    {
        foreach (Socket client in clients)
        {
            client.Dispose();
        }

        group.Dispose();
        host.Dispose();
    }

    /// <summary>A clock that stands still: every receive and transmit stamp is the same.</summary>
    private sealed class FixedClock : IClockDriver
    {
        public long Real { get; } = 1_795_000_000_000_000_000;

        public long Mono { get; } = 86_400_000_000_000;

        public string Name => "fixed";

        public bool CanAdjust => false;

        public long ReadRealtimeNanoseconds() => Real;

        public long ReadMonotonicNanoseconds() => Mono;

        public long MapKernelRealtime(long kernelRealtimeNanoseconds) => Real;

        public ClockWriteResult Step(double offsetSeconds) => ClockWriteResult.Ignored;

        public ClockWriteResult Slew(double offsetSeconds) => ClockWriteResult.Ignored;

        public ClockWriteResult SetFrequency(double frequency) => ClockWriteResult.Ignored;

        public ClockWriteResult SetStatus(LeapIndicator leap, bool synchronized, double maxErrorSeconds, double estimatedErrorSeconds) => ClockWriteResult.Ignored;
    }
}
