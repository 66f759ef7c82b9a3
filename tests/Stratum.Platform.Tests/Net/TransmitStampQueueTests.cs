// Kernel transmit stamps of interleaved clients' replies (RFC 9769) on loopback: a reply queued with a
// capture key leaves through sendto or sendmmsg with a per-message SO_TIMESTAMPING request, the kernel's
// stamp comes back on the socket's error queue numbered by OPT_ID, and the queue records it in the time
// server's table under that key: no earlier than the transmit timestamp written in the packet (the
// kernel stamps after our clock read) and close to it. Replies without a key ask for
// nothing, so the error queue stays empty. Ephemeral ports on 127.0.0.1 only.
using System.Net.Sockets;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Server;
using Stratum.Platform.Clock;
using Stratum.Platform.Net;

namespace Stratum.Platform.Tests.Net;

public class TransmitStampQueueTests
{
    private const int ReplyLength = 48;

    [Theory]
    [InlineData(TransmitStamping.PerDatagram)]
    [InlineData(TransmitStamping.Interpolated)]
    public void RepliesWithACaptureKey_GetTheirKernelStampRecorded(TransmitStamping stamping)
    {
        using UdpSocket server = BatchTestSupport.BindServer();
        Assert.NotNull(server.TransmitStamps);
        using Socket client = BatchTestSupport.BindClient();
        using var batch = new SendBatch(16, 68) { Stamping = stamping };
        NativeSocketAddress destination = NativeSocketAddress.From((System.Net.IPEndPoint)client.LocalEndPoint!);
        var keys = new ulong[8];
        var table = new InterleavedTransmitTable();
        for (int i = 0; i < keys.Length; i++)
        {
            Span<byte> slot = batch.NextSlot;
            slot[..ReplyLength].Clear();
            slot[0] = (byte)i;
            // Every other reply is an interleaved client's: its key is a receive timestamp (lowest bit set).
            keys[i] = i % 2 == 0 ? NtpTimestamp.FromUnixNanoseconds(BatchTestSupport.RealtimeNanoseconds() - (i * 1000)).Raw | 1 : 0;
            if (keys[i] != 0)
            {
                table.Expect(keys[i]); // as the time server does when it writes such a reply
            }

            batch.Add(ReplyLength, destination, NtpHeader.TransmitTimeOffset, captureKey: keys[i]);
        }

        Assert.Equal(keys.Length, batch.Flush(server, new ObserveOnlyClockDriver(), out int failed));
        Assert.Equal(0, failed);
        Assert.Equal(4, server.TransmitStamps!.Drain(table));
        Assert.Equal(4, server.TransmitStamps.Read);
        Assert.Equal(0, server.TransmitStamps.Unmatched);

        var reply = new byte[128];
        for (int i = 0; i < keys.Length; i++)
        {
            Assert.Equal(ReplyLength, client.Receive(reply));
            long written = NtpTimestamp.Read(reply.AsSpan(NtpHeader.TransmitTimeOffset)).ToUnixNanoseconds();
            if (keys[reply[0]] == 0)
            {
                continue;
            }

            Assert.True(table.TryTake(keys[reply[0]], out ulong stamp));
            Assert.Equal(0ul, stamp & 1);
            long kernel = new NtpTimestamp(stamp).ToUnixNanoseconds();
            Assert.InRange(kernel - written, -1, 200_000_000); // later than our clock read; within a scheduling hiccup of it
        }

        // Nothing more was asked for: the error queue is empty.
        Assert.Equal(0, server.TransmitStamps.Drain(table));
    }
}
