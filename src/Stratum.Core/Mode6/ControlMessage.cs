// ControlMessage: reads and writes mode 6 control messages (RFC 1305 appendix B.1,
// draft-ietf-ntp-mode-6-cmds §3). The header is followed by Count data octets, zero padding to a
// multiple of 4 and an optional MAC (key id + digest), which this codec leaves to the caller:
// TryRead returns the data slice and the length of what follows the padding.
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |LI | VN  |Mode |R|E|M| OpCode  |          Sequence             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |            Status             |        Association ID         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |            Offset             |            Count              |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |            Data (Count octets, up to 468), padding to 32 bits  |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |            optional key id and digest (MAC)                    |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
using System.Buffers.Binary;
using Stratum.Core.Wire;

namespace Stratum.Core.Mode6;

/// <summary>Mode 6 message codec: span-based, allocation-free, never throws on input.</summary>
public static class ControlMessage
{
    public const int HeaderSize = 12;

    /// <summary>Largest data field of one fragment (ntpd CTL_MAX_DATA_LEN).</summary>
    public const int MaxDataLength = 468;

    /// <summary>Largest reassembled response ntpq accepts (ntpq.c MAXFRAGS 32 × 468 octets is more; 16 bits bound offsets).</summary>
    public const int MaxMessageLength = ushort.MaxValue;

    private const byte ControlMode = 6;
    private const byte ResponseBit = 0x80;
    private const byte ErrorBit = 0x40;
    private const byte MoreBit = 0x20;
    private const byte OpcodeMask = 0x1F;

    /// <summary>Parses a header and slices its data; <paramref name="trailerLength"/> counts octets after the padding (a MAC).</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out ControlHeader header, out ReadOnlySpan<byte> data,
        out int trailerLength, out ControlMessageError error)
    {
        header = default;
        data = default;
        trailerLength = 0;
        if (datagram.Length < HeaderSize)
        {
            error = ControlMessageError.TooShort;
            return false;
        }

        byte first = datagram[0];
        if ((first & 0x07) != ControlMode)
        {
            error = ControlMessageError.WrongMode;
            return false;
        }

        byte version = (byte)((first >> 3) & 0x07);
        if (version is 0 or > 4)
        {
            error = ControlMessageError.BadVersion;
            return false;
        }

        byte second = datagram[1];
        ushort count = BinaryPrimitives.ReadUInt16BigEndian(datagram[10..]);
        ushort offset = BinaryPrimitives.ReadUInt16BigEndian(datagram[8..]);
        if (count > MaxDataLength || count > datagram.Length - HeaderSize)
        {
            error = ControlMessageError.BadCount;
            return false;
        }

        if (offset + count > MaxMessageLength)
        {
            error = ControlMessageError.BadOffset;
            return false;
        }

        header = new ControlHeader(
            version,
            (second & ResponseBit) != 0,
            (second & ErrorBit) != 0,
            (second & MoreBit) != 0,
            (ControlOpcode)(second & OpcodeMask),
            BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]),
            BinaryPrimitives.ReadUInt16BigEndian(datagram[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(datagram[6..]),
            offset,
            count)
        {
            Leap = (LeapIndicator)(first >> 6),
        };
        data = datagram.Slice(HeaderSize, count);
        int padded = HeaderSize + PaddedLength(count);
        trailerLength = Math.Max(0, datagram.Length - padded);
        error = ControlMessageError.None;
        return true;
    }

    /// <summary>
    /// Writes header, data and zero padding to 4 octets; returns the length written, or 0 when
    /// <paramref name="destination"/> is too small or the data exceeds one fragment.
    /// The header's Count is taken from <paramref name="data"/>.
    /// </summary>
    public static int Write(in ControlHeader header, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        int length = HeaderSize + PaddedLength(data.Length);
        if (data.Length > MaxDataLength || destination.Length < length)
        {
            return 0;
        }

        destination[0] = (byte)((((byte)header.Leap & 0x03) << 6) | ((header.Version & 0x07) << 3) | ControlMode);
        destination[1] = (byte)((header.IsResponse ? ResponseBit : 0) | (header.IsError ? ErrorBit : 0)
            | (header.HasMore ? MoreBit : 0) | ((byte)header.Opcode & OpcodeMask));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], header.Sequence);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], header.Status);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], header.AssociationId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], header.Offset);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], (ushort)data.Length);
        data.CopyTo(destination[HeaderSize..]);
        destination[(HeaderSize + data.Length)..length].Clear();
        return length;
    }

    /// <summary>Data length rounded up to a multiple of 4.</summary>
    public static int PaddedLength(int dataLength) => (dataLength + 3) & ~3;
}
