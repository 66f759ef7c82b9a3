// NativeSocketAddress.ToClientAddress: the kernel's sockaddr_in/sockaddr_in6 bytes become the
// Engine's ClientAddress (family, address bits, port) without allocating.
using System.Net;
using Stratum.Engine.Access;
using Stratum.Platform.Net;

namespace Stratum.Platform.Tests.Net;

public class NativeSocketAddressClientTests
{
    [Theory]
    [InlineData("192.0.2.1", 123)]
    [InlineData("127.0.0.20", 40000)]
    [InlineData("2001:db8::7", 5353)]
    [InlineData("::1", 1)]
    public void ToClientAddress_MatchesTheEndPoint(string address, int port)
    {
        var endPoint = new IPEndPoint(IPAddress.Parse(address), port);
        ClientAddress client = NativeSocketAddress.From(endPoint).ToClientAddress();
        Assert.Equal(ClientAddress.From(endPoint.Address, port), client);
        Assert.Equal(endPoint.Address, client.ToIPAddress());
    }

    [Fact]
    public void ToClientAddress_UnsetAddress_HasNoFamily()
    {
        Assert.Equal(ClientAddressFamily.None, default(NativeSocketAddress).ToClientAddress().Family);
    }

    [Fact]
    public void ToClientAddress_AllocatesNothing()
    {
        NativeSocketAddress v4 = NativeSocketAddress.From(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 123));
        NativeSocketAddress v6 = NativeSocketAddress.From(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 123));
        v4.ToClientAddress();
        v6.ToClientAddress();
        long before = GC.GetAllocatedBytesForCurrentThread();
        UInt128 sink = 0;
        for (int i = 0; i < 1000; i++)
        {
            sink ^= v4.ToClientAddress().Value ^ v6.ToClientAddress().Value;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
