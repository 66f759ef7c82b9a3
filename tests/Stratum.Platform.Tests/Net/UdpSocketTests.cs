// UdpSocket on loopback: bind, receive with a kernel timestamp, reply, and the error text of a
// failed bind. Uses an ephemeral port on 127.0.0.1; never port 123.
using System.Net;
using System.Net.Sockets;
using Stratum.Platform.Net;

namespace Stratum.Platform.Tests.Net;

public class UdpSocketTests
{
    [Fact]
    public void TryReceive_Datagram_CarriesSourceAndKernelTimestamp()
    {
        using UdpSocket? socket = UdpSocket.TryBind(new IPEndPoint(IPAddress.Loopback, 0), reuseAddress: false, out string? error);
        Assert.NotNull(socket);
        Assert.Null(error);
        Assert.NotEqual(0, socket.LocalEndPoint.Port);
        Assert.NotEqual(ReceiveTimestampMode.None, socket.TimestampMode);
        BatchTestSupport.WaitForKernelStamps(socket);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        long before = DateTime.UtcNow.Ticks;
        client.SendTo(new byte[] { 1, 2, 3, 4 }, socket.LocalEndPoint);

        var buffer = new byte[64];
        var source = new NativeSocketAddress();
        int length = 0;
        long stamp = 0;
        bool received = false;
        for (int i = 0; i < 200 && !received; i++)
        {
            received = socket.TryReceive(buffer, ref source, out length, out stamp, out int errno);
            Assert.Equal(0, errno);
            if (!received)
            {
                Thread.Sleep(5);
            }
        }

        Assert.True(received);
        Assert.Equal(4, length);
        Assert.Equal(((IPEndPoint)client.LocalEndPoint!).Port, source.Port);
        Assert.Equal(IPAddress.Loopback, source.ToEndPoint().Address);
        long stampTicks = (stamp / 100) + DateTime.UnixEpoch.Ticks;
        Assert.InRange(stampTicks, before - TimeSpan.TicksPerSecond, DateTime.UtcNow.Ticks + TimeSpan.TicksPerSecond);

        Assert.Equal(0, socket.Send(new byte[] { 9, 9 }, ref source));
        var reply = new byte[8];
        client.ReceiveTimeout = 2000;
        Assert.Equal(2, client.Receive(reply));
    }

    [Fact]
    public void TryReceive_NothingWaiting_ReturnsFalseWithoutError()
    {
        using UdpSocket? socket = UdpSocket.TryBind(new IPEndPoint(IPAddress.Loopback, 0), false, out _);
        Assert.NotNull(socket);
        var source = new NativeSocketAddress();
        Assert.False(socket.TryReceive(new byte[64], ref source, out _, out _, out int errno));
        Assert.Equal(0, errno);
    }

    [Fact]
    public void TryBind_AddressInUse_NamesAddressErrorAndHint()
    {
        using UdpSocket? first = UdpSocket.TryBind(new IPEndPoint(IPAddress.Loopback, 0), false, out _);
        Assert.NotNull(first);
        using UdpSocket? second = UdpSocket.TryBind(first.LocalEndPoint, false, out string? error);
        Assert.Null(second);
        Assert.Equal($"cannot bind 127.0.0.1:{first.LocalEndPoint.Port}: Address already in use (another NTP server is running on this address?)", error);
    }

    [Fact]
    public void NativeSocketAddress_IPv6_RoundTrips()
    {
        var endPoint = new IPEndPoint(IPAddress.Parse("2001:db8::1"), 123);
        NativeSocketAddress native = NativeSocketAddress.From(endPoint);
        Assert.Equal(28, native.Length);
        Assert.Equal(AddressFamily.InterNetworkV6, native.Family);
        Assert.Equal(endPoint, native.ToEndPoint());
    }

    [Fact]
    public void NativeSocketAddress_SameAs_ComparesAddressAndPort()
    {
        NativeSocketAddress a = NativeSocketAddress.From(new IPEndPoint(IPAddress.Parse("127.0.0.11"), 123));
        NativeSocketAddress b = NativeSocketAddress.From(new IPEndPoint(IPAddress.Parse("127.0.0.11"), 123));
        NativeSocketAddress otherPort = NativeSocketAddress.From(new IPEndPoint(IPAddress.Parse("127.0.0.11"), 124));
        NativeSocketAddress otherHost = NativeSocketAddress.From(new IPEndPoint(IPAddress.Parse("127.0.0.12"), 123));
        Assert.True(a.SameAs(b));
        Assert.False(a.SameAs(otherPort));
        Assert.False(a.SameAs(otherHost));
    }
}
