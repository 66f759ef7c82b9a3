// Mode 6 codec: annotated golden bytes for a request and a fragmented response, and every
// malformed-input case returning a typed error instead of throwing.
using Stratum.Core.Mode6;

namespace Stratum.Core.Tests.Mode6;

public class ControlMessageTests
{
    // ntpq's "rv 0 stratum" request: LI 0, VN 2, mode 6; READVAR; sequence 1; assoc 0; 7 data octets, padded to 8.
    private static readonly byte[] s_readVarRequest =
    [
        0x16,             // LI=0 VN=2 Mode=6
        0x02,             // R=0 E=0 M=0 opcode 2 (READVAR)
        0x00, 0x01,       // sequence 1
        0x00, 0x00,       // status 0
        0x00, 0x00,       // association 0
        0x00, 0x00,       // offset 0
        0x00, 0x07,       // count 7
        (byte)'s', (byte)'t', (byte)'r', (byte)'a', (byte)'t', (byte)'u', (byte)'m',
        0x00,             // padding to 4 octets
    ];

    [Fact]
    public void Write_ReadVarRequest_MatchesGoldenBytes()
    {
        var buffer = new byte[32];
        int length = ControlMessage.Write(ControlHeader.Request(ControlOpcode.ReadVariables, 1, 0, 7), "stratum"u8, buffer);
        Assert.Equal(s_readVarRequest, buffer[..length]);
    }

    [Fact]
    public void TryRead_ReadVarRequest_DecodesEveryField()
    {
        Assert.True(ControlMessage.TryRead(s_readVarRequest, out ControlHeader header, out ReadOnlySpan<byte> data, out int trailer, out ControlMessageError error));
        Assert.Equal(ControlMessageError.None, error);
        Assert.Equal(new ControlHeader(2, false, false, false, ControlOpcode.ReadVariables, 1, 0, 0, 0, 7), header);
        Assert.Equal("stratum"u8.ToArray(), data.ToArray());
        Assert.Equal(0, trailer);
    }

    [Fact]
    public void WriteThenRead_ErrorResponseWithMoreBit_RoundTrips()
    {
        var header = new ControlHeader(2, true, true, true, ControlOpcode.ReadStatus, 0xBEEF, 0x0500, 40000, 468, 0);
        var buffer = new byte[12];
        Assert.Equal(12, ControlMessage.Write(header, [], buffer));
        Assert.Equal(new byte[] { 0x16, 0xE1, 0xBE, 0xEF, 0x05, 0x00, 0x9C, 0x40, 0x01, 0xD4, 0x00, 0x00 }, buffer);
        Assert.True(ControlMessage.TryRead(buffer, out ControlHeader read, out _, out _, out _));
        Assert.Equal(header, read);
        Assert.Equal(ControlErrorCode.UnknownVariable, read.ErrorCode);
    }

    [Fact]
    public void WriteThenRead_LeapBits_RoundTrip()
    {
        var header = new ControlHeader(2, true, false, false, ControlOpcode.ReadStatus, 1, 0xC016, 0, 0, 0) { Leap = Stratum.Core.Wire.LeapIndicator.Unsynchronized };
        var buffer = new byte[12];
        ControlMessage.Write(header, [], buffer);
        Assert.Equal(0xD6, buffer[0]);
        Assert.True(ControlMessage.TryRead(buffer, out ControlHeader read, out _, out _, out _));
        Assert.Equal(header, read);
    }

    [Fact]
    public void TryRead_TrailingMac_ReportsTrailerLength()
    {
        byte[] withMac = [.. s_readVarRequest, .. new byte[20]];
        Assert.True(ControlMessage.TryRead(withMac, out _, out _, out int trailer, out _));
        Assert.Equal(20, trailer);
    }

    [Theory]
    [InlineData(new byte[] { }, ControlMessageError.TooShort)]
    [InlineData(new byte[] { 0x16, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0 }, ControlMessageError.TooShort)]
    [InlineData(new byte[] { 0x1B, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, ControlMessageError.WrongMode)]
    [InlineData(new byte[] { 0x06, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, ControlMessageError.BadVersion)]
    [InlineData(new byte[] { 0x3E, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, ControlMessageError.BadVersion)]
    [InlineData(new byte[] { 0x16, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4 }, ControlMessageError.BadCount)]
    [InlineData(new byte[] { 0x16, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0x01, 0xD5 }, ControlMessageError.BadCount)]
    [InlineData(new byte[] { 0x16, 0x82, 0, 1, 0, 0, 0, 0, 0xFF, 0xFF, 0, 4, 1, 2, 3, 4 }, ControlMessageError.BadOffset)]
    public void TryRead_Malformed_ReturnsTypedError(byte[] datagram, ControlMessageError expected)
    {
        Assert.False(ControlMessage.TryRead(datagram, out _, out _, out _, out ControlMessageError error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Write_DestinationTooSmallOrDataTooLong_ReturnsZero()
    {
        Assert.Equal(0, ControlMessage.Write(ControlHeader.Request(ControlOpcode.ReadVariables, 1, 0, 0), "abc"u8, new byte[15]));
        Assert.Equal(0, ControlMessage.Write(ControlHeader.Request(ControlOpcode.ReadVariables, 1, 0, 0), new byte[469], new byte[600]));
    }

    [Fact]
    public void TryRead_AllPrefixesOfAValidMessage_NeverThrow()
    {
        for (int length = 0; length <= s_readVarRequest.Length; length++)
        {
            ControlMessage.TryRead(s_readVarRequest.AsSpan(0, length), out _, out _, out _, out _);
        }
    }
}
