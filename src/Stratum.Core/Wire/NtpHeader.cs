// NtpHeader: the fixed 48-byte NTP header as a value (RFC 5905 §7.3, figure 8):
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |LI | VN  |Mode |    Stratum    |     Poll      |  Precision    |   0
// |                         Root Delay                            |   4
// |                         Root Dispersion                       |   8
// |                          Reference ID                         |  12
// |                     Reference Timestamp (64)                  |  16
// |                      Origin Timestamp (64)                    |  24
// |                      Receive Timestamp (64)                   |  32
// |                      Transmit Timestamp (64)                  |  40
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
using System.Buffers.Binary;
using Stratum.Core.Time;

namespace Stratum.Core.Wire;

/// <summary>The NTP header fields, versions 1–4 share this layout.</summary>
public readonly record struct NtpHeader(
    LeapIndicator Leap,
    byte Version,
    NtpMode Mode,
    byte Stratum,
    sbyte Poll,
    sbyte Precision,
    NtpShort RootDelay,
    NtpShort RootDispersion,
    ReferenceId ReferenceId,
    NtpTimestamp ReferenceTime,
    NtpTimestamp OriginTime,
    NtpTimestamp ReceiveTime,
    NtpTimestamp TransmitTime)
{
    /// <summary>Size of the fixed header in bytes.</summary>
    public const int Size = 48;

    /// <summary>Offset of the transmit timestamp, written last, just before sending.</summary>
    public const int TransmitTimeOffset = 40;

    /// <summary>Offset of the origin timestamp (T1 echoed) in the header.</summary>
    public const int OriginTimeOffset = 24;

    /// <summary>Offset of the receive timestamp in the header.</summary>
    public const int ReceiveTimeOffset = 32;

    /// <summary>Reads the fields from the first 48 bytes; the caller has checked the length.</summary>
    public static NtpHeader Read(ReadOnlySpan<byte> source)
    {
        byte first = source[0];
        return new NtpHeader(
            (LeapIndicator)(first >> 6),
            (byte)((first >> 3) & 0x7),
            (NtpMode)(first & 0x7),
            source[1],
            (sbyte)source[2],
            (sbyte)source[3],
            NtpShort.Read(source[4..]),
            NtpShort.Read(source[8..]),
            new ReferenceId(BinaryPrimitives.ReadUInt32BigEndian(source[12..])),
            NtpTimestamp.Read(source[16..]),
            NtpTimestamp.Read(source[24..]),
            NtpTimestamp.Read(source[32..]),
            NtpTimestamp.Read(source[40..]));
    }

    /// <summary>Writes the 48 header bytes and returns 48.</summary>
    public int Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException("destination shorter than an NTP header", nameof(destination));
        }

        destination[0] = (byte)(((byte)Leap << 6) | ((Version & 0x7) << 3) | ((byte)Mode & 0x7));
        destination[1] = Stratum;
        destination[2] = (byte)Poll;
        destination[3] = (byte)Precision;
        RootDelay.Write(destination[4..]);
        RootDispersion.Write(destination[8..]);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], ReferenceId.Value);
        ReferenceTime.Write(destination[16..]);
        OriginTime.Write(destination[24..]);
        ReceiveTime.Write(destination[32..]);
        TransmitTime.Write(destination[40..]);
        return Size;
    }
}
