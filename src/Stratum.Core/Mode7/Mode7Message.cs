// Mode7Message: reads and writes ntpd's mode 7 messages (ntpd 4.2.8 ntp_request.h; there is no
// RFC). A response fragment holds up to 500 data octets of fixed-size items; the M bit says more
// fragments follow and the sequence numbers them from 0. Requests from ntpdc are padded to
// REQ_LEN_NOMAC (184 octets: 8 header + 176 data) and may carry a timestamp and MAC after that,
// which this codec leaves to the caller.
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |R|M| VN  |Mode |A|  Sequence   | Implementation|   Request     |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |  Err  |  Number of items      |  MBZ  |      Item size        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |            Data (items × item size octets)                    |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
using System.Buffers.Binary;

namespace Stratum.Core.Mode7;

/// <summary>Mode 7 codec: span-based, never throws on input.</summary>
public static class Mode7Message
{
    public const int HeaderSize = 8;

    /// <summary>RESP_DATA_SIZE: the largest data field of one response fragment.</summary>
    public const int MaxResponseData = 500;

    /// <summary>The data area of a request (MAXFILENAME + 48).</summary>
    public const int RequestDataSize = 176;

    /// <summary>REQ_LEN_NOMAC: an unauthenticated request as ntpdc sends it.</summary>
    public const int RequestLength = HeaderSize + RequestDataSize;

    private const byte PrivateMode = 7;

    /// <summary>Parses a header and slices ItemCount × ItemSize data octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out Mode7Header header, out ReadOnlySpan<byte> data, out Mode7MessageError error)
    {
        header = default;
        data = default;
        if (datagram.Length < HeaderSize)
        {
            error = Mode7MessageError.TooShort;
            return false;
        }

        byte first = datagram[0];
        if ((first & 0x07) != PrivateMode)
        {
            error = Mode7MessageError.WrongMode;
            return false;
        }

        byte version = (byte)((first >> 3) & 0x07);
        if (version is 0 or > 4)
        {
            error = Mode7MessageError.BadVersion;
            return false;
        }

        ushort errorAndCount = BinaryPrimitives.ReadUInt16BigEndian(datagram[4..]);
        ushort reservedAndSize = BinaryPrimitives.ReadUInt16BigEndian(datagram[6..]);
        if ((reservedAndSize & 0xF000) != 0)
        {
            error = Mode7MessageError.NonZeroReserved;
            return false;
        }

        bool response = (first & 0x80) != 0;
        int count = errorAndCount & 0x0FFF;
        int size = reservedAndSize & 0x0FFF;
        int length = count * size;
        if (length > datagram.Length - HeaderSize || (response && length > MaxResponseData))
        {
            error = Mode7MessageError.BadLength;
            return false;
        }

        byte second = datagram[1];
        header = new Mode7Header(
            response,
            (first & 0x40) != 0,
            version,
            !response && (second & 0x80) != 0,
            (byte)(second & 0x7F),
            (Mode7Implementation)datagram[2],
            (Mode7RequestCode)datagram[3],
            (Mode7ErrorCode)(errorAndCount >> 12),
            (ushort)count,
            (ushort)size);
        data = datagram.Slice(HeaderSize, length);
        error = Mode7MessageError.None;
        return true;
    }

    /// <summary>
    /// Writes the header and data; a request is zero-padded to <see cref="RequestLength"/>. Returns the
    /// length written, or 0 when the destination is too small or the data does not fit one message.
    /// </summary>
    public static int Write(in Mode7Header header, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        int maxData = header.IsResponse ? MaxResponseData : RequestDataSize;
        int length = header.IsResponse ? HeaderSize + data.Length : RequestLength;
        if (data.Length > maxData || destination.Length < length || header.ItemCount > 0x0FFF || header.ItemSize > 0x0FFF)
        {
            return 0;
        }

        destination[0] = (byte)((header.IsResponse ? 0x80 : 0) | (header.HasMore ? 0x40 : 0) | ((header.Version & 0x07) << 3) | PrivateMode);
        destination[1] = (byte)(((!header.IsResponse && header.Authenticated) ? 0x80 : 0) | (header.Sequence & 0x7F));
        destination[2] = (byte)header.Implementation;
        destination[3] = (byte)header.Request;
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)(((byte)header.Error << 12) | header.ItemCount));
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], header.ItemSize);
        data.CopyTo(destination[HeaderSize..]);
        destination[(HeaderSize + data.Length)..length].Clear();
        return length;
    }
}
