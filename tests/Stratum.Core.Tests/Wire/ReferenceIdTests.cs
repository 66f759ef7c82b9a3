// Reference ID formatting and construction (RFC 5905 §7.3) and kiss codes (§7.4).
using System.Net;
using Stratum.Core.Wire;

namespace Stratum.Core.Tests.Wire;

public class ReferenceIdTests
{
    [Theory]
    [InlineData("LOCL", 0x4c4f434cu)]
    [InlineData("GPS", 0x47505300u)]
    [InlineData("PPS", 0x50505300u)]
    public void FromAscii_PacksAndPads(string text, uint value)
    {
        var refid = ReferenceId.FromAscii(text);
        Assert.Equal(value, refid.Value);
        Assert.Equal(text, refid.ToAscii());
        Assert.Equal(text, refid.Format(1));
        Assert.True(refid.IsAsciiName);
    }

    [Fact]
    public void FromAddress_IPv4_IsTheAddress()
    {
        var refid = ReferenceId.FromAddress(IPAddress.Parse("10.0.0.1"));
        Assert.Equal(0x0a000001u, refid.Value);
        Assert.Equal("10.0.0.1", refid.Format(2));
    }

    [Fact]
    public void FromAddress_IPv6_IsFirstFourOctetsOfMd5()
    {
        // MD5 of the 16 bytes of ::1 begins cf 40 4d c8 (checked with `printf` | md5sum).
        var refid = ReferenceId.FromAddress(IPAddress.IPv6Loopback);
        Assert.Equal(0xcf404dc8u, refid.Value);
    }

    [Fact]
    public void KissCodes_KnowTheirMeaning()
    {
        Assert.True(KissCode.Deny.StopsAssociation);
        Assert.True(KissCode.Restricted.StopsAssociation);
        Assert.True(KissCode.Rate.ReducesRate);
        Assert.False(KissCode.Initializing.StopsAssociation);
        Assert.Equal("RATE", KissCode.Rate.ToString());
    }
}
