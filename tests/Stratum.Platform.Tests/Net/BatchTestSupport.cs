// Helpers for the batch tests: a loopback server socket and client sockets on ephemeral ports of
// 127.0.0.1 (never port 123), the wall clock in Unix ns, and a stand-in kernel whose recvmmsg and
// sendmmsg answer ENOSYS, as an old kernel or an LD_PRELOAD simulator would.
using System.Net;
using System.Net.Sockets;
using Stratum.Platform.Interop;
using Stratum.Platform.Net;

namespace Stratum.Platform.Tests.Net;

internal static class BatchTestSupport
{
    public static UdpSocket BindServer()
    {
        UdpSocket? socket = UdpSocket.TryBind(new IPEndPoint(IPAddress.Loopback, 0), reuseAddress: false, out string? error);
        Assert.True(socket is not null, error);
        WaitForKernelStamps(socket);
        return socket;
    }

    /// <summary>Linux turns receive timestamping on for the whole stack some time after the first socket
    /// asks for it (a deferred static key), so the first datagrams after that may come unstamped: send
    /// datagrams to <paramref name="socket"/> until one arrives stamped (bounded), leaving none queued.</summary>
    public static void WaitForKernelStamps(UdpSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var buffer = new byte[16];
        var source = new NativeSocketAddress();
        for (int attempt = 0; attempt < 200; attempt++)
        {
            probe.SendTo(new byte[] { 0 }, socket.LocalEndPoint);
            for (int i = 0; i < 100; i++)
            {
                if (socket.TryReceive(buffer, ref source, out _, out long stamp, out _))
                {
                    if (stamp != 0)
                    {
                        return;
                    }

                    // Unstamped: the kernel's switch has not flipped yet; give its deferred work a moment.
                    Thread.Sleep(5);
                    break;
                }

                Thread.Sleep(1);
            }
        }

        Assert.Fail("the kernel never stamped a datagram on loopback");
    }

    public static Socket BindClient()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 2000 };
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return client;
    }

    public static int PortOf(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    public static long RealtimeNanoseconds() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
}

/// <summary>A kernel without recvmmsg and sendmmsg: the batched calls fail with ENOSYS and are counted.</summary>
internal sealed class NoBatchCallsKernel : DatagramSystemCalls
{
    public int BatchedCalls { get; private set; }

    public override int ReceiveMany(int fd, nint messages, uint count, out int errno)
    {
        BatchedCalls++;
        errno = Libc.ENOSYS;
        return -1;
    }

    public override int SendMany(int fd, nint messages, uint count, out int errno)
    {
        BatchedCalls++;
        errno = Libc.ENOSYS;
        return -1;
    }
}
