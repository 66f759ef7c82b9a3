// SendBatch on loopback: by default each queued reply leaves in its own sendto with a clock read just
// before it; with Interpolated stamping they leave in one sendmmsg and arrive at their own destinations,
// stamps written just before the call and spaced by the measured per-datagram send cost (checked
// exactly with a scripted clock); a KoD keeps its transmit field; no allocation in steady state; and
// the fallback to sendto when sendmmsg answers ENOSYS. Ephemeral ports on 127.0.0.1 only.
using System.Net.Sockets;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Platform.Clock;
using Stratum.Platform.Net;

namespace Stratum.Platform.Tests.Net;

public class SendBatchTests
{
    private const int ReplyLength = 48;

    [Fact]
    public void Flush_FiftyRepliesToTwoClients_OneSendmmsgAndAllArriveWithLateStamps()
    {
        using UdpSocket server = BatchTestSupport.BindServer();
        using Socket first = BatchTestSupport.BindClient();
        using Socket second = BatchTestSupport.BindClient();
        using var batch = new SendBatch(64, 68) { Stamping = TransmitStamping.Interpolated };
        NativeSocketAddress toFirst = NativeSocketAddress.From((System.Net.IPEndPoint)first.LocalEndPoint!);
        NativeSocketAddress toSecond = NativeSocketAddress.From((System.Net.IPEndPoint)second.LocalEndPoint!);
        const int Replies = 50;
        for (int i = 0; i < Replies; i++)
        {
            Span<byte> slot = batch.NextSlot;
            slot[..ReplyLength].Clear();
            slot[0] = (byte)i;
            batch.Add(ReplyLength, i % 2 == 0 ? toFirst : toSecond, NtpHeader.TransmitTimeOffset);
        }

        long beforeFlush = BatchTestSupport.RealtimeNanoseconds();
        int sent = batch.Flush(server, new ObserveOnlyClockDriver(), out int failed);
        long afterFlush = BatchTestSupport.RealtimeNanoseconds();

        Assert.Equal(Replies, sent);
        Assert.Equal(0, failed);
        Assert.Equal(0, batch.Count);
        Assert.Equal(1, batch.SystemCalls);
        var reply = new byte[128];
        for (int i = 0; i < Replies; i++)
        {
            Socket client = i % 2 == 0 ? first : second;
            Assert.Equal(ReplyLength, client.Receive(reply));
            Assert.Equal((byte)i, reply[0]);
            long transmit = NtpTimestamp.Read(reply.AsSpan(NtpHeader.TransmitTimeOffset)).ToUnixNanoseconds();
            Assert.InRange(transmit, beforeFlush - 1_000_000, afterFlush + 1_000_000);
        }
    }

    [Fact]
    public void Flush_TransmitStamps_InterpolatedByMeasuredSendCost()
    {
        using UdpSocket server = BatchTestSupport.BindServer();
        using Socket client = BatchTestSupport.BindClient();
        using var batch = new SendBatch(32, 68) { Stamping = TransmitStamping.Interpolated };
        NativeSocketAddress destination = NativeSocketAddress.From((System.Net.IPEndPoint)client.LocalEndPoint!);
        // Every clock read advances 64 µs: a flush of 32 replies measures 2 µs per datagram.
        var clock = new ScriptedClock(start: 1_800_000_000_000_000_000, advancePerRead: 64_000);

        long firstStart = clock.Peek;
        Assert.Equal(32, FillAndFlush(batch, server, clock, destination, 32));
        List<long> firstStamps = ReceiveStamps(client, 32);
        Assert.All(firstStamps, stamp => Assert.InRange(stamp - firstStart, -1, 1));
        Assert.Equal(2_000 >> 3, batch.SendCostNanoseconds);

        long secondStart = clock.Peek;
        Assert.Equal(32, FillAndFlush(batch, server, clock, destination, 32));
        List<long> secondStamps = ReceiveStamps(client, 32);
        for (int i = 0; i < 32; i++)
        {
            Assert.InRange(secondStamps[i] - (secondStart + (i * 250)), -1, 1);
        }

        batch.Stamping = TransmitStamping.Once;
        long thirdStart = clock.Peek;
        Assert.Equal(32, FillAndFlush(batch, server, clock, destination, 32));
        Assert.All(ReceiveStamps(client, 32), stamp => Assert.InRange(stamp - thirdStart, -1, 1));
    }

    [Fact]
    public void Flush_PerDatagramByDefault_OneSendtoAndOneFreshStampPerReply()
    {
        using UdpSocket server = BatchTestSupport.BindServer();
        using Socket client = BatchTestSupport.BindClient();
        using var batch = new SendBatch(32, 68);
        NativeSocketAddress destination = NativeSocketAddress.From((System.Net.IPEndPoint)client.LocalEndPoint!);
        var clock = new ScriptedClock(start: 1_800_000_000_000_000_000, advancePerRead: 5_000);

        long start = clock.Peek;
        Assert.Equal(TransmitStamping.PerDatagram, batch.Stamping);
        Assert.Equal(12, FillAndFlush(batch, server, clock, destination, 12));

        Assert.Equal(12, batch.SystemCalls);
        Assert.False(batch.UsesSingleMessageCalls);
        List<long> stamps = ReceiveStamps(client, 12);
        for (int i = 0; i < stamps.Count; i++)
        {
            // Reply i carries the i-th clock reading: read just before its own sendto.
            Assert.InRange(stamps[i] - (start + (i * 5_000)), -1, 1);
        }
    }

    [Theory]
    [InlineData(TransmitStamping.PerDatagram)]
    [InlineData(TransmitStamping.Interpolated)]
    public void Flush_ReplyWithAKey_IsSignedAfterItsStamp(TransmitStamping stamping)
    {
        using UdpSocket server = BatchTestSupport.BindServer();
        using Socket client = BatchTestSupport.BindClient();
        using var batch = new SendBatch(4, 72) { Stamping = stamping };
        var key = new Stratum.Core.Auth.SymmetricKey(5, Stratum.Core.Auth.KeyType.Md5, "k"u8, []);
        NativeSocketAddress destination = NativeSocketAddress.From((System.Net.IPEndPoint)client.LocalEndPoint!);
        for (int i = 0; i < 2; i++)
        {
            Span<byte> slot = batch.NextSlot;
            slot[..ReplyLength].Clear();
            slot[0] = 0x24; // NTPv4, mode 4
            batch.Add(ReplyLength, destination, NtpHeader.TransmitTimeOffset, i == 0 ? key : null);
        }

        Assert.Equal(2, batch.Flush(server, new ScriptedClock(start: 1_800_000_000_000_000_000, advancePerRead: 1_000), out _));

        var reply = new byte[128];
        int signedLength = client.Receive(reply);
        Assert.Equal(ReplyLength + 20, signedLength);
        Assert.False(NtpTimestamp.Read(reply.AsSpan(NtpHeader.TransmitTimeOffset)).IsZero);
        Assert.True(NtpPacket.TryRead(reply.AsSpan(0, signedLength), out NtpPacket packet, out _));
        Assert.True(Stratum.Core.Auth.PacketMac.Verify(key, packet), "the MAC must cover the transmit stamp");
        Assert.Equal(ReplyLength, client.Receive(reply));
    }

    [Fact]
    public void Flush_ReplyWithoutStampOffset_KeepsItsTransmitField()
    {
        using UdpSocket server = BatchTestSupport.BindServer();
        using Socket client = BatchTestSupport.BindClient();
        using var batch = new SendBatch(4, 68);
        Span<byte> slot = batch.NextSlot;
        slot[..ReplyLength].Fill(0xab);
        batch.Add(ReplyLength, NativeSocketAddress.From((System.Net.IPEndPoint)client.LocalEndPoint!), transmitStampOffset: -1);
        Assert.Equal(1, batch.Flush(server, new ObserveOnlyClockDriver(), out _));
        var reply = new byte[128];
        Assert.Equal(ReplyLength, client.Receive(reply));
        Assert.All(reply[..ReplyLength], b => Assert.Equal(0xab, b));
    }

    [Fact]
    public void Flush_SendmmsgAnswersEnosys_FallsBackToSendtoPerReply()
    {
        var kernel = new NoBatchCallsKernel();
        using UdpSocket server = BatchTestSupport.BindServer();
        using Socket client = BatchTestSupport.BindClient();
        using var batch = new SendBatch(16, 68, kernel) { Stamping = TransmitStamping.Interpolated };
        NativeSocketAddress destination = NativeSocketAddress.From((System.Net.IPEndPoint)client.LocalEndPoint!);
        var clock = new ScriptedClock(start: 1_800_000_000_000_000_000, advancePerRead: 1_000);

        Assert.Equal(10, FillAndFlush(batch, server, clock, destination, 10));
        Assert.Equal(10, FillAndFlush(batch, server, clock, destination, 10));

        Assert.True(batch.UsesSingleMessageCalls);
        Assert.Equal(1, kernel.BatchedCalls);
        Assert.Equal(1 + 20, batch.SystemCalls);
        List<long> stamps = ReceiveStamps(client, 20);
        for (int i = 1; i < stamps.Count; i++)
        {
            // sendto path: one clock read per reply, just before it.
            Assert.True(stamps[i] > stamps[i - 1]);
        }
    }

    [Fact]
    public void Flush_DestinationRefused_CountedAndTheRestSent()
    {
        using UdpSocket server = BatchTestSupport.BindServer();
        using Socket client = BatchTestSupport.BindClient();
        using var batch = new SendBatch(4, 68);
        NativeSocketAddress good = NativeSocketAddress.From((System.Net.IPEndPoint)client.LocalEndPoint!);
        // An IPv6 destination on an IPv4 socket: the kernel refuses that one message.
        NativeSocketAddress bad = NativeSocketAddress.From(new System.Net.IPEndPoint(System.Net.IPAddress.IPv6Loopback, 9));
        batch.NextSlot[..ReplyLength].Clear();
        batch.Add(ReplyLength, good, NtpHeader.TransmitTimeOffset);
        batch.NextSlot[..ReplyLength].Clear();
        batch.Add(ReplyLength, bad, NtpHeader.TransmitTimeOffset);
        batch.NextSlot[..ReplyLength].Clear();
        batch.Add(ReplyLength, good, NtpHeader.TransmitTimeOffset);

        Assert.Equal(2, batch.Flush(server, new ObserveOnlyClockDriver(), out int failed));
        Assert.Equal(1, failed);
        Assert.Equal(2, ReceiveStamps(client, 2).Count);
    }

    [Fact]
    public void AddAndFlush_SteadyState_AllocatesNothing()
    {
        using UdpSocket server = BatchTestSupport.BindServer();
        using Socket client = BatchTestSupport.BindClient();
        using var batch = new SendBatch(32, 68);
        NativeSocketAddress destination = NativeSocketAddress.From((System.Net.IPEndPoint)client.LocalEndPoint!);
        var clock = new ObserveOnlyClockDriver();
        FillAndFlush(batch, server, clock, destination, 32);
        ReceiveStamps(client, 32);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int sent = FillAndFlush(batch, server, clock, destination, 32);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(32, sent);
        ReceiveStamps(client, 32);
    }

    private static int FillAndFlush(SendBatch batch, UdpSocket server, IClockDriver clock, in NativeSocketAddress destination, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Span<byte> slot = batch.NextSlot;
            slot[..ReplyLength].Clear();
            batch.Add(ReplyLength, destination, NtpHeader.TransmitTimeOffset);
        }

        return batch.Flush(server, clock, out _);
    }

    private static List<long> ReceiveStamps(Socket client, int count)
    {
        var stamps = new List<long>();
        var reply = new byte[128];
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(ReplyLength, client.Receive(reply));
            stamps.Add(NtpTimestamp.Read(reply.AsSpan(NtpHeader.TransmitTimeOffset)).ToUnixNanoseconds());
        }

        return stamps;
    }

    /// <summary>A clock whose realtime advances a fixed step at every read; it writes nothing.</summary>
    private sealed class ScriptedClock(long start, long advancePerRead) : IClockDriver
    {
        private long _next = start;

        /// <summary>What the next read returns.</summary>
        public long Peek => _next;

        public string Name => "scripted";

        public bool CanAdjust => false;

        public long ReadRealtimeNanoseconds()
        {
            long now = _next;
            _next += advancePerRead;
            return now;
        }

        public long ReadMonotonicNanoseconds() => _next;

        public long MapKernelRealtime(long kernelRealtimeNanoseconds) => kernelRealtimeNanoseconds;

        public ClockWriteResult Step(double offsetSeconds) => ClockWriteResult.Ignored;

        public ClockWriteResult Slew(double offsetSeconds) => ClockWriteResult.Ignored;

        public ClockWriteResult SetFrequency(double frequency) => ClockWriteResult.Ignored;

        public ClockWriteResult SetStatus(LeapIndicator leap, bool synchronized, double maxErrorSeconds, double estimatedErrorSeconds) => ClockWriteResult.Ignored;
    }
}
