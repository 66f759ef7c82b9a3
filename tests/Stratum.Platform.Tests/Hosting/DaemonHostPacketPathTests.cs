// The daemon's whole packet path — the shared server datagram path on the main loop (recvmsg with
// kernel stamp → parse → reply → transmit stamp → sendto, or with batching recvmmsg → … → sendto
// each) on a loopback socket: replies are correct and the path allocates nothing.
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

public class DaemonHostPacketPathTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(DaemonHost.DefaultIoBatch)]
    public void OnReadable_ClientRequests_AnsweredWithoutAllocating(int ioBatch)
    {
        var engine = new NtpEngine(new EngineConfiguration([], [], false), -24);
        using var host = new DaemonHost(new ObserveOnlyClockDriver(), engine, NullLogger.Instance, ioBatch);
        Assert.True(host.Bind([new ListenEndpoint(new IPEndPoint(IPAddress.Loopback, 0), "lo", false)]));
        UdpSocket socket = host.Sockets[0];
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 2000 };
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var request = new byte[48];
        request[0] = 0x23;
        var transmit = NtpTimestamp.FromParts(0xeeadf1fb, 0x01020304);
        transmit.Write(request.AsSpan(40));

        // Warm up (JIT, first-call paths), then measure a batch.
        client.SendTo(request, socket.LocalEndPoint);
        Thread.Sleep(50);
        host.OnReadable(socket);
        var reply = new byte[64];
        Assert.Equal(48, client.Receive(reply));

        const int Count = 50;
        for (int i = 0; i < Count; i++)
        {
            client.SendTo(request, socket.LocalEndPoint);
        }

        Thread.Sleep(100);
        long before = GC.GetAllocatedBytesForCurrentThread();
        host.OnReadable(socket);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(Count + 1, engine.Server.Counters.Replied);
        Assert.Equal(ioBatch == 1, host.SendBatch.UsesSingleMessageCalls);
        Assert.Equal(ioBatch == 1, host.ReceiveBatch.UsesSingleMessageCalls);
        for (int i = 0; i < Count; i++)
        {
            Assert.Equal(48, client.Receive(reply));
            NtpHeader header = NtpHeader.Read(reply);
            Assert.Equal(transmit, header.OriginTime);
            Assert.True(header.TransmitTime >= header.ReceiveTime);
            Assert.False(header.ReceiveTime.IsZero);
        }
    }
}
