// ClientAddress: the Engine's allocation-free source address — conversions, multicast test, host
// equality that ignores the port.
using System.Net;
using Stratum.Engine.Access;

namespace Stratum.Engine.Tests.Access;

public class ClientAddressTests
{
    [Theory]
    [InlineData("192.0.2.1", 123)]
    [InlineData("2001:db8::1", 4242)]
    [InlineData("::1", 1)]
    public void From_RoundTripsThroughIPAddress(string text, int port)
    {
        ClientAddress address = ClientAddress.From(IPAddress.Parse(text), port);
        Assert.Equal(IPAddress.Parse(text), address.ToIPAddress());
        Assert.Equal(port, address.Port);
    }

    [Fact]
    public void FromIPv4_KeepsHostOrderInLowBits()
    {
        ClientAddress address = ClientAddress.From(IPAddress.Parse("192.0.2.1"));
        Assert.Equal(ClientAddressFamily.IPv4, address.Family);
        Assert.Equal((UInt128)0xC0000201u, address.Value);
        Assert.Equal(32, address.Width);
    }

    [Fact]
    public void FromIPv6_FirstByteIsMostSignificant()
    {
        ClientAddress address = ClientAddress.From(IPAddress.Parse("2001:db8::1"));
        Assert.Equal(ClientAddressFamily.IPv6, address.Family);
        Assert.Equal(0x20010db8u, (uint)(address.Value >> 96));
        Assert.Equal(1u, (uint)address.Value);
    }

    [Theory]
    [InlineData("224.0.0.1", true)]
    [InlineData("239.255.255.255", true)]
    [InlineData("223.255.255.255", false)]
    [InlineData("240.0.0.1", false)]
    [InlineData("ff02::101", true)]
    [InlineData("fe80::1", false)]
    public void IsMulticast_MatchesClassDAndFf00(string text, bool expected) =>
        Assert.Equal(expected, ClientAddress.From(IPAddress.Parse(text)).IsMulticast);

    [Fact]
    public void SameHost_IgnoresPortButNotFamily()
    {
        ClientAddress a = AccessTestConfig.Address("10.0.0.1", 1000);
        Assert.True(a.SameHost(a.WithPort(2000)));
        Assert.NotEqual(a, a.WithPort(2000));
        // ::a00:1 has the same low 32 bits as 10.0.0.1 but is another host.
        Assert.False(a.SameHost(AccessTestConfig.Address("::a00:1", 1000)));
    }

    [Fact]
    public void ToString_FormatsLikeAnEndPoint()
    {
        Assert.Equal("192.0.2.1:123", AccessTestConfig.Address("192.0.2.1", 123).ToString());
        Assert.Equal("[2001:db8::1]:123", AccessTestConfig.Address("2001:db8::1", 123).ToString());
    }
}
