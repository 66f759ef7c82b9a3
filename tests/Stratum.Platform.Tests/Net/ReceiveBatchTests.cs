// ReceiveBatch on loopback: many datagrams per recvmmsg, each with its own source address and kernel
// receive timestamp; truncation; nothing waiting; no allocation in steady state; and the fallback to
// recvmsg when recvmmsg answers ENOSYS. Ephemeral ports on 127.0.0.1 only; every wait is bounded.
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Stratum.Platform.Interop;
using Stratum.Platform.Net;

namespace Stratum.Platform.Tests.Net;

public class ReceiveBatchTests
{
    private const int Datagrams = 100;

    [Fact]
    public void MultiMessageHeader_Layout_MatchesLinuxMmsghdr()
    {
        Assert.Equal(56, Unsafe.SizeOf<MessageHeader>());
        Assert.Equal(64, Unsafe.SizeOf<MultiMessageHeader>());
        Assert.Equal(56, (int)Marshal.OffsetOf<MultiMessageHeader>(nameof(MultiMessageHeader.Length)));
    }

    [Fact]
    public void Receive_HundredDatagramsFromTwoClients_BatchedWithSourcesAndMonotonicKernelStamps()
    {
        using UdpSocket server = BatchTestSupport.BindServer();
        using var first = BatchTestSupport.BindClient();
        using var second = BatchTestSupport.BindClient();
        using var batch = new ReceiveBatch(32, 2048);
        long before = BatchTestSupport.RealtimeNanoseconds();
        SendNumbered(server, first, second, Datagrams);

        var sequences = new List<int>();
        var ports = new List<int>();
        var stamps = new List<long>();
        int largestBatch = ReceiveAll(server, batch, Datagrams, sequences, ports, stamps);
        long after = BatchTestSupport.RealtimeNanoseconds();

        Assert.False(batch.UsesSingleMessageCalls);
        Assert.Equal(Enumerable.Range(0, Datagrams), sequences);
        for (int i = 0; i < Datagrams; i++)
        {
            Assert.Equal(BatchTestSupport.PortOf(i % 2 == 0 ? first : second), ports[i]);
            Assert.NotEqual(0, stamps[i]);
            Assert.InRange(stamps[i], before - 1_000_000_000, after + 1_000_000_000);
            if (i > 0)
            {
                Assert.True(stamps[i] >= stamps[i - 1], $"stamp {i} ({stamps[i]}) is before stamp {i - 1} ({stamps[i - 1]})");
            }
        }

        Assert.True(largestBatch > 1, "recvmmsg never returned more than one datagram");
        Assert.True(batch.SystemCalls < Datagrams, $"{batch.SystemCalls} system calls for {Datagrams} datagrams");
    }

    [Fact]
    public void Receive_RecvmmsgAnswersEnosys_FallsBackToRecvmsgWithSourcesAndStamps()
    {
        var kernel = new NoBatchCallsKernel();
        using UdpSocket server = BatchTestSupport.BindServer();
        using var first = BatchTestSupport.BindClient();
        using var second = BatchTestSupport.BindClient();
        using var batch = new ReceiveBatch(16, 2048, kernel);
        SendNumbered(server, first, second, Datagrams);

        var sequences = new List<int>();
        var ports = new List<int>();
        var stamps = new List<long>();
        ReceiveAll(server, batch, Datagrams, sequences, ports, stamps);

        Assert.True(batch.UsesSingleMessageCalls);
        Assert.Equal(1, kernel.BatchedCalls);
        Assert.Equal(Enumerable.Range(0, Datagrams), sequences);
        for (int i = 0; i < Datagrams; i++)
        {
            Assert.Equal(BatchTestSupport.PortOf(i % 2 == 0 ? first : second), ports[i]);
            Assert.NotEqual(0, stamps[i]);
        }
    }

    [Fact]
    public void Receive_NothingWaiting_ReturnsZeroWithoutError()
    {
        using UdpSocket server = BatchTestSupport.BindServer();
        using var batch = new ReceiveBatch(8, 2048);
        Assert.Equal(0, batch.Receive(server, out int errno));
        Assert.Equal(0, errno);
        Assert.Equal(0, batch.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.KernelRealtime(0));
    }

    [Fact]
    public void Receive_DatagramLongerThanSlot_ReportedAsSlotPlusOne()
    {
        using UdpSocket server = BatchTestSupport.BindServer();
        using var client = BatchTestSupport.BindClient();
        using var batch = new ReceiveBatch(4, 64);
        client.SendTo(new byte[100], server.LocalEndPoint);
        client.SendTo(new byte[48], server.LocalEndPoint);
        var lengths = new List<int>();
        for (int attempt = 0; attempt < 400 && lengths.Count < 2; attempt++)
        {
            int count = batch.Receive(server, out int errno);
            Assert.Equal(0, errno);
            for (int i = 0; i < count; i++)
            {
                lengths.Add(batch.Length(i));
                Assert.True(batch.Payload(i).Length <= 64);
            }

            if (count == 0)
            {
                Thread.Sleep(5);
            }
        }

        Assert.Equal([65, 48], lengths);
    }

    [Fact]
    public void Receive_SteadyState_AllocatesNothing()
    {
        using UdpSocket server = BatchTestSupport.BindServer();
        using var client = BatchTestSupport.BindClient();
        using var batch = new ReceiveBatch(32, 2048);
        var source = new NativeSocketAddress();
        var payload = new byte[48];

        // Warm up (JIT, first-call paths), then measure.
        client.SendTo(payload, server.LocalEndPoint);
        Thread.Sleep(50);
        Assert.Equal(1, batch.Receive(server, out _));
        for (int i = 0; i < 50; i++)
        {
            client.SendTo(payload, server.LocalEndPoint);
        }

        Thread.Sleep(100);
        long checksum = 0;
        int received = 0;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 4; round++)
        {
            int count = batch.Receive(server, out _);
            for (int i = 0; i < count; i++)
            {
                batch.CopySource(i, ref source);
                checksum += batch.KernelRealtime(i) + batch.Payload(i).Length + source.Port;
            }

            received += count;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.Equal(0, allocated);
        Assert.Equal(50, received);
        Assert.NotEqual(0, checksum);
    }

    /// <summary>Sends datagrams numbered 0..count-1 (big-endian in the first 4 bytes), even ones from
    /// <paramref name="even"/> and odd ones from <paramref name="odd"/>.</summary>
    internal static void SendNumbered(UdpSocket server, System.Net.Sockets.Socket even, System.Net.Sockets.Socket odd, int count)
    {
        var datagram = new byte[48];
        for (int i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(datagram, i);
            (i % 2 == 0 ? even : odd).SendTo(datagram, server.LocalEndPoint);
        }
    }

    /// <summary>Receives until <paramref name="expected"/> datagrams arrived (bounded: 2 s); returns the largest batch.</summary>
    private static int ReceiveAll(UdpSocket server, ReceiveBatch batch, int expected, List<int> sequences, List<int> ports, List<long> stamps)
    {
        var source = new NativeSocketAddress();
        int largest = 0;
        for (int attempt = 0; attempt < 400 && sequences.Count < expected; attempt++)
        {
            int count = batch.Receive(server, out int errno);
            Assert.Equal(0, errno);
            Assert.InRange(count, 0, batch.Capacity);
            largest = Math.Max(largest, count);
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(48, batch.Length(i));
                sequences.Add(BinaryPrimitives.ReadInt32BigEndian(batch.Payload(i)));
                batch.CopySource(i, ref source);
                Assert.Equal(System.Net.IPAddress.Loopback, source.ToEndPoint().Address);
                ports.Add(source.Port);
                stamps.Add(batch.KernelRealtime(i));
            }

            if (count == 0)
            {
                Thread.Sleep(5);
            }
        }

        return largest;
    }
}
