// Mode 7 codec: annotated golden bytes of an ntpdc REQ_SYS_INFO request, a response round trip,
// and the typed errors for hostile input (short, wrong mode, bad version, reserved bits, item
// count beyond the data or beyond one response).
using Stratum.Core.Mode7;

namespace Stratum.Core.Tests.Mode7;

public class Mode7MessageTests
{
    [Fact]
    public void Write_SysInfoRequest_MatchesNtpdcBytes()
    {
        var datagram = new byte[Mode7Message.RequestLength];
        int length = Mode7Message.Write(Mode7Header.ForRequest(Mode7Implementation.Xntpd, Mode7RequestCode.SystemInfo), [], datagram);
        Assert.Equal(184, length);
        Assert.Equal(new byte[]
        {
            0x17,       // R=0 M=0, VN=2, mode 7
            0x00,       // A=0, sequence 0
            0x03,       // IMPL_XNTPD
            0x04,       // REQ_SYS_INFO
            0x00, 0x00, // err 0, 0 items
            0x00, 0x00, // mbz, item size 0
        }, datagram[..8]);
        Assert.All(datagram[8..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Response_RoundTrips()
    {
        var item = new byte[LoopInfoItem.Size];
        new LoopInfoItem(0x1_0000_0000L, -5, 6, 42).Write(item);
        var header = new Mode7Header(true, true, 2, false, 3, Mode7Implementation.Xntpd, Mode7RequestCode.LoopInfo, Mode7ErrorCode.None, 1, LoopInfoItem.Size);
        var datagram = new byte[Mode7Message.HeaderSize + item.Length];
        Assert.Equal(datagram.Length, Mode7Message.Write(header, item, datagram));
        Assert.Equal(0xD7, datagram[0]);
        Assert.True(Mode7Message.TryRead(datagram, out Mode7Header read, out ReadOnlySpan<byte> data, out Mode7MessageError error));
        Assert.Equal(Mode7MessageError.None, error);
        Assert.Equal(header, read);
        Assert.True(LoopInfoItem.TryRead(data, out LoopInfoItem? loop));
        Assert.Equal(new LoopInfoItem(0x1_0000_0000L, -5, 6, 42), loop);
    }

    [Theory]
    [InlineData(new byte[] { 0x17, 0, 3 }, Mode7MessageError.TooShort)]
    [InlineData(new byte[] { 0x16, 0, 3, 4, 0, 0, 0, 0 }, Mode7MessageError.WrongMode)]
    [InlineData(new byte[] { 0x07, 0, 3, 4, 0, 0, 0, 0 }, Mode7MessageError.BadVersion)]
    [InlineData(new byte[] { 0x17, 0, 3, 4, 0, 0, 0x10, 0 }, Mode7MessageError.NonZeroReserved)]
    [InlineData(new byte[] { 0x97, 0, 3, 4, 0, 2, 0, 8, 1, 2, 3, 4 }, Mode7MessageError.BadLength)]
    public void TryRead_HostileInput_ReturnsTypedError(byte[] datagram, Mode7MessageError expected)
    {
        Assert.False(Mode7Message.TryRead(datagram, out _, out _, out Mode7MessageError error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryRead_ResponseClaimingMoreThan500Octets_IsBadLength()
    {
        var datagram = new byte[8 + 600];
        datagram[0] = 0x97;
        datagram[5] = 3;   // 3 items
        datagram[7] = 200; // of 200 octets
        Assert.False(Mode7Message.TryRead(datagram, out _, out _, out Mode7MessageError error));
        Assert.Equal(Mode7MessageError.BadLength, error);
    }

    [Fact]
    public void Items_RoundTrip()
    {
        var info = new SystemInfoItem(System.Net.IPAddress.Parse("10.0.0.1"), 3, 0, 2, -20, 0x1234, 0x5678, 0x0A000001, 0xE0000000_80000000, 6, 0x86, 0, 99, 0, 7);
        var bytes = new byte[SystemInfoItem.Size];
        info.Write(bytes);
        Assert.True(SystemInfoItem.TryRead(bytes, out SystemInfoItem? back));
        Assert.Equal(info, back);
        Assert.True(SystemInfoItem.TryRead(bytes.AsSpan(0, SystemInfoItem.LegacySize), out SystemInfoItem? legacy));
        Assert.Equal(info, legacy);
        Assert.False(SystemInfoItem.TryRead(bytes.AsSpan(0, 20), out _));

        var summary = new PeerSummaryItem(System.Net.IPAddress.IPv6Loopback, System.Net.IPAddress.Parse("2001:db8::1"), 123, 2, 6, 7, 0xFF, 0x43, 3, 100, -200, 300);
        bytes = new byte[PeerSummaryItem.Size];
        summary.Write(bytes);
        Assert.True(PeerSummaryItem.TryRead(bytes, out PeerSummaryItem? summaryBack));
        Assert.Equal(summary, summaryBack);
    }
}
