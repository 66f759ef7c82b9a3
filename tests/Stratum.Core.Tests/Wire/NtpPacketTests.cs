// Packet codec: annotated golden bytes, extension fields and MACs (RFC 5905 §7.3, RFC 7822),
// typed errors for malformed input, and no allocation while parsing.
using CsCheck;
using Stratum.Core.Time;
using Stratum.Core.Wire;

namespace Stratum.Core.Tests.Wire;

public class NtpPacketTests
{
    // A chronyd reply captured on loopback (ntpload -i), fields annotated.
    private static readonly byte[] s_serverReply =
    [
        0x24,                   // LI 0, VN 4, mode 4
        0x01,                   // stratum 1
        0x00,                   // poll 0
        0xe8,                   // precision -24
        0x00, 0x00, 0x00, 0x00, // root delay 0
        0x00, 0x00, 0x00, 0x10, // root dispersion 16/65536 s
        0x4c, 0x4f, 0x4f, 0x50, // refid "LOOP"
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // reference time 0
        0xee, 0xad, 0xf1, 0xfb, 0xab, 0x20, 0xb2, 0x0d, // origin
        0xee, 0xad, 0xf1, 0xfb, 0xab, 0x21, 0x01, 0x7f, // receive
        0xee, 0xad, 0xf1, 0xfb, 0xab, 0x23, 0x97, 0xa8, // transmit
    ];

    [Fact]
    public void TryRead_ServerReply_DecodesEveryField()
    {
        Assert.True(NtpPacket.TryRead(s_serverReply, out NtpPacket packet, out PacketError error));
        Assert.Equal(PacketError.None, error);
        NtpHeader h = packet.Header;
        Assert.Equal(LeapIndicator.NoWarning, h.Leap);
        Assert.Equal(4, h.Version);
        Assert.Equal(NtpMode.Server, h.Mode);
        Assert.Equal(1, h.Stratum);
        Assert.Equal(0, h.Poll);
        Assert.Equal(-24, h.Precision);
        Assert.Equal(0u, h.RootDelay.Raw);
        Assert.Equal(16u, h.RootDispersion.Raw);
        Assert.Equal("LOOP", h.ReferenceId.Format(h.Stratum));
        Assert.True(h.ReferenceTime.IsZero);
        Assert.Equal(NtpTimestamp.FromParts(0xeeadf1fb, 0xab20b20d), h.OriginTime);
        Assert.Equal(NtpTimestamp.FromParts(0xeeadf1fb, 0xab2397a8), h.TransmitTime);
        Assert.False(packet.HasMac);
        Assert.Equal(0, packet.ExtensionsLength);
    }

    [Fact]
    public void Write_RoundTripsThroughRead()
    {
        Assert.True(NtpPacket.TryRead(s_serverReply, out NtpPacket packet, out _));
        var buffer = new byte[48];
        Assert.Equal(48, packet.Header.Write(buffer));
        Assert.Equal(s_serverReply, buffer);
    }

    [Theory]
    [InlineData(0, PacketError.TooShort)]
    [InlineData(47, PacketError.TooShort)]
    [InlineData(50, PacketError.Misaligned)]
    [InlineData(1028, PacketError.TooLong)]
    [InlineData(48 + 8, PacketError.BadMacLength)]
    [InlineData(48 + 12, PacketError.BadMacLength)]
    public void TryRead_BadLength_GivesTypedError(int length, PacketError expected)
    {
        var data = new byte[length];
        if (length > 0)
        {
            data[0] = 0x23; // v4 client
        }

        Assert.False(NtpPacket.TryRead(data, out _, out PacketError error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData(0x03, PacketError.UnsupportedVersion)] // version 0
    [InlineData(0x2b, PacketError.UnsupportedVersion)] // version 5
    [InlineData(0x26, PacketError.ControlMode)]        // mode 6
    [InlineData(0x27, PacketError.ControlMode)]        // mode 7
    public void TryRead_BadFirstByte_GivesTypedError(byte first, PacketError expected)
    {
        var data = new byte[48];
        data[0] = first;
        Assert.False(NtpPacket.TryRead(data, out _, out PacketError error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void TryRead_Versions1To4_Accepted(int version)
    {
        var data = new byte[48];
        data[0] = (byte)((version << 3) | 3);
        Assert.True(NtpPacket.TryRead(data, out NtpPacket packet, out _));
        Assert.Equal(version, packet.Header.Version);
    }

    [Theory]
    [InlineData(4, true, 0u)]
    [InlineData(20, false, 7u)]
    [InlineData(24, false, 9u)]
    public void TryRead_Mac_LocatesKeyAndDigest(int macLength, bool cryptoNak, uint keyId)
    {
        var data = new byte[48 + macLength];
        data[0] = 0x23;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(48), keyId);
        Assert.True(NtpPacket.TryRead(data, out NtpPacket packet, out _));
        Assert.True(packet.HasMac);
        Assert.Equal(keyId, packet.Mac.KeyId);
        Assert.Equal(cryptoNak, packet.Mac.IsCryptoNak);
        Assert.Equal(macLength - 4, packet.MacDigest.Length);
        Assert.Equal(48, packet.AuthenticatedBytes.Length);
    }

    [Fact]
    public void TryRead_ExtensionFieldsThenMac_EnumeratesFields()
    {
        var data = new byte[48 + 16 + 28 + 20];
        data[0] = 0x23;
        Assert.Equal(16, ExtensionField.Write(0x0104, [1, 2, 3], data.AsSpan(48)));
        Assert.Equal(28, ExtensionField.Write(0x0204, new byte[21], data.AsSpan(64)));
        Assert.True(NtpPacket.TryRead(data, out NtpPacket packet, out PacketError error), error.ToString());
        Assert.Equal(44, packet.ExtensionsLength);
        var types = new List<ushort>();
        foreach (ExtensionField field in packet.ExtensionFields)
        {
            types.Add(field.FieldType);
        }

        Assert.Equal([0x0104, 0x0204], types);
        Assert.Equal(20, packet.MacLength);
    }

    [Theory]
    [InlineData(12)]  // below the 16-byte minimum
    [InlineData(18)]  // not a multiple of 4
    [InlineData(200)] // overruns the packet
    public void TryRead_BadExtensionLength_IsBadExtensionField(int fieldLength)
    {
        var data = new byte[48 + 32];
        data[0] = 0x23;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(50), (ushort)fieldLength);
        Assert.False(NtpPacket.TryRead(data, out _, out PacketError error));
        Assert.Equal(PacketError.BadExtensionField, error);
    }

    [Fact]
    public void TryRead_ExtensionInVersion3_IsRejected()
    {
        var data = new byte[48 + 32];
        data[0] = 0x1b;
        Assert.False(NtpPacket.TryRead(data, out _, out PacketError error));
        Assert.Equal(PacketError.ExtensionInOldVersion, error);
    }

    [Fact]
    public void TryRead_AllocatesNothing()
    {
        var data = new byte[48 + 16 + 20];
        data[0] = 0x23;
        ExtensionField.Write(0x0104, [1, 2, 3], data.AsSpan(48));
        NtpPacket.TryRead(data, out _, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int sum = 0;
        for (int i = 0; i < 1000; i++)
        {
            if (NtpPacket.TryRead(data, out NtpPacket packet, out _))
            {
                sum += packet.Header.Stratum + packet.MacLength;
                foreach (ExtensionField field in packet.ExtensionFields)
                {
                    sum += field.Length;
                }
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sum > 0);
    }

    [Fact]
    public void TryRead_ArbitraryBytes_NeverThrows()
    {
        Gen.Byte.Array[0, 1100].Sample(bytes =>
        {
            bool ok = NtpPacket.TryRead(bytes, out NtpPacket packet, out PacketError error);
            if (ok)
            {
                int count = 0;
                foreach (ExtensionField field in packet.ExtensionFields)
                {
                    count += field.Length;
                }

                return error == PacketError.None && count == packet.ExtensionsLength;
            }

            return error != PacketError.None;
        }, iter: 50_000);
    }
}
