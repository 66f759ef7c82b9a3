// DatagramHandoff, the ring through which an extra server loop hands datagrams to the main loop:
// first in, first out with every field kept; a full ring drops and counts; the producer asks to
// wake the consumer once until the consumer takes the request; one producer and one consumer on
// two threads lose nothing. Through the main loop: a full ring's drops reach ntpq's iostats
// "dropped packets" (io_dropped), and what the ring holds is answered from the main loop's socket.
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Platform.Clock;
using Stratum.Platform.Hosting;
using Stratum.Platform.Net;

namespace Stratum.Platform.Tests.Hosting;

public class DatagramHandoffTests
{
    private static NativeSocketAddress Address(int port) => NativeSocketAddress.From(new IPEndPoint(IPAddress.Loopback, port));

    [Fact]
    public void TryAdd_ThenPeek_FirstInFirstOutWithEveryField()
    {
        using var ring = new DatagramHandoff(4, 64);
        Assert.True(ring.IsEmpty);
        Assert.True(ring.TryAdd(1, [0x16, 1, 2], 3, Address(4000), 111, 222));
        Assert.True(ring.TryAdd(0, new byte[100], 2049, Address(4001), 333, 444));

        Assert.True(ring.TryPeek(out ReadOnlySpan<byte> data, out int length, out int socket, out NativeSocketAddress source, out long real, out long mono));
        Assert.Equal(new byte[] { 0x16, 1, 2 }, data.ToArray());
        Assert.Equal((3, 1, 111L, 222L, 4000), (length, socket, real, mono, source.ToEndPoint().Port));
        ring.Advance();

        Assert.True(ring.TryPeek(out data, out length, out socket, out source, out _, out _));
        // A truncated datagram keeps its reported length; only the slot's bytes are kept.
        Assert.Equal((64, 2049, 0, 4001), (data.Length, length, socket, source.ToEndPoint().Port));
        ring.Advance();
        Assert.False(ring.TryPeek(out _, out _, out _, out _, out _, out _));
        Assert.Equal(2, ring.HandedOver);
    }

    [Fact]
    public void TryAdd_FullRing_DropsAndCounts()
    {
        using var ring = new DatagramHandoff(4, 64);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(ring.TryAdd(0, [0x16], 1, Address(4000 + i), 0, 0));
        }

        Assert.False(ring.TryAdd(0, [0x16], 1, Address(4100), 0, 0));
        Assert.False(ring.TryAdd(0, [0x16], 1, Address(4101), 0, 0));
        Assert.Equal(2, ring.Dropped);
        Assert.True(ring.TryPeek(out _, out _, out _, out NativeSocketAddress oldest, out _, out _));
        Assert.Equal(4000, oldest.ToEndPoint().Port);
        ring.Advance();
        Assert.True(ring.TryAdd(0, [0x16], 1, Address(4102), 0, 0));
    }

    [Fact]
    public void RequestWake_OnceUntilTaken()
    {
        using var ring = new DatagramHandoff(4, 64);
        Assert.True(ring.RequestWake());
        Assert.False(ring.RequestWake());
        ring.TakeWakeRequest();
        Assert.True(ring.RequestWake());
    }

    [Fact]
    public void TwoThreads_EveryDatagramArrivesInOrder()
    {
        using var ring = new DatagramHandoff(8, 16);
        const int Count = 200_000;
        var producer = new Thread(() =>
        {
            Span<byte> data = stackalloc byte[4];
            NativeSocketAddress source = Address(4000);
            for (int i = 0; i < Count; i++)
            {
                BitConverter.TryWriteBytes(data, i);
                while (!ring.TryAdd(i & 1, data, 4, source, i, -i))
                {
                    Thread.Yield();
                }
            }
        });
        producer.Start();
        int expected = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (expected < Count && DateTime.UtcNow < deadline)
        {
            if (!ring.TryPeek(out ReadOnlySpan<byte> data, out _, out int socket, out _, out long real, out long mono))
            {
                Thread.Yield();
                continue;
            }

            Assert.Equal((expected, expected & 1, (long)expected, (long)-expected), (BitConverter.ToInt32(data), socket, real, mono));
            ring.Advance();
            expected++;
        }

        Assert.True(producer.Join(TimeSpan.FromSeconds(30)));
        Assert.Equal(Count, expected);
        Assert.Equal(Count, ring.HandedOver);
    }

    [Fact]
    public void MainLoop_FullRing_DropsInIoDroppedAndTheRestAnswered()
    {
        var engine = new NtpEngine(new EngineConfiguration([], [], false), -24);
        using var host = new DaemonHost(new ObserveOnlyClockDriver(), engine, NullLogger.Instance) { ServerThreads = 1 };
        Assert.True(host.Bind([new ListenEndpoint(new IPEndPoint(IPAddress.Loopback, 0), "lo", false)]));
        using ServerLoopGroup group = ServerLoopGroup.TryStart(1, host.Sockets, engine, DaemonHost.DefaultIoBatch, TransmitStamping.PerDatagram, NullLogger.Instance, out string? error,
            null, steerControl: true, startThreads: false, loopClock: null)!;
        Assert.Null(error);
        host.ServerLoops = group;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 2000 };
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var request = new byte[48];
        request[0] = (4 << 3) | (byte)NtpMode.SymmetricActive;
        NtpTimestamp.FromParts(0xeeadf1fb, 7).Write(request.AsSpan(40));
        NativeSocketAddress source = NativeSocketAddress.From((IPEndPoint)client.LocalEndPoint!);
        DatagramHandoff ring = group.Handoffs[0];
        long now = new ObserveOnlyClockDriver().ReadRealtimeNanoseconds();
        for (int i = 0; i < ring.Capacity + 5; i++)
        {
            ring.TryAdd(0, request, request.Length, source, now, 1);
        }

        host.OnWakeup();

        Assert.Equal(5, engine.Control.Host.Dropped);
        Assert.Equal(ring.Capacity, host.HandedOverServed);
        var reply = new byte[64];
        for (int i = 0; i < ring.Capacity; i++)
        {
            Assert.Equal(48, client.Receive(reply));
            Assert.Equal(NtpMode.SymmetricPassive, NtpHeader.Read(reply).Mode);
        }

        host.ServerLoops = null;
    }
}
