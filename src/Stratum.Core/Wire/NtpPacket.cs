// NtpPacket: a parsed view over one received NTP time packet (modes 0–5): the header, the
// extension fields (RFC 7822) and an optional MAC (RFC 5905 §7.3, key identifier + digest). It is
// a ref struct over the caller's buffer, so parsing allocates nothing; extension field values and
// the digest are slices of that buffer.
//
// After the header, NTPv4 data is parsed as in RFC 7822 §7: while more than the largest MAC (24
// bytes) remains, the next item is an extension field (type 16, length 16, value, padding to 4;
// length ≥ 16 and a multiple of 4). What remains is then the MAC: 0 (none), 4 (crypto-NAK, key id
// only), 20 (key id + MD5 digest) or 24 (key id + SHA-1 digest) bytes. Versions 1–3 carry no
// extension fields.
using System.Buffers.Binary;

namespace Stratum.Core.Wire;

/// <summary>A parsed NTP packet that refers to the buffer it was read from.</summary>
public readonly ref struct NtpPacket
{
    /// <summary>Largest datagram accepted: the header plus generous room for extension fields.</summary>
    public const int MaxLength = 1024;

    /// <summary>Largest MAC: 4-byte key id plus a 20-byte SHA-1 digest.</summary>
    public const int MaxMacLength = 24;

    private NtpPacket(ReadOnlySpan<byte> data, NtpHeader header, int extensionsLength, int macLength)
    {
        Data = data;
        Header = header;
        ExtensionsLength = extensionsLength;
        MacLength = macLength;
    }

    /// <summary>The whole packet as received.</summary>
    public ReadOnlySpan<byte> Data { get; }

    public NtpHeader Header { get; }

    /// <summary>Total bytes of extension fields after the header.</summary>
    public int ExtensionsLength { get; }

    /// <summary>Bytes of MAC at the end (0 when there is none).</summary>
    public int MacLength { get; }

    public bool HasMac => MacLength > 0;

    /// <summary>The MAC (key id + digest), or a default value when there is none.</summary>
    public MessageAuthenticationCode Mac =>
        MacLength == 0 ? default : new MessageAuthenticationCode(
            BinaryPrimitives.ReadUInt32BigEndian(Data[^MacLength..]), Data.Length - MacLength + 4, MacLength - 4);

    /// <summary>The digest bytes of the MAC (empty for a crypto-NAK or no MAC).</summary>
    public ReadOnlySpan<byte> MacDigest => MacLength <= 4 ? [] : Data[(Data.Length - MacLength + 4)..];

    /// <summary>The bytes a MAC covers: header and extension fields.</summary>
    public ReadOnlySpan<byte> AuthenticatedBytes => Data[..(NtpHeader.Size + ExtensionsLength)];

    public ExtensionFieldEnumerator ExtensionFields => new(Data.Slice(NtpHeader.Size, ExtensionsLength));

    /// <summary>The mode from the first byte, readable before a full parse (dispatch to mode 6/7).</summary>
    public static bool TryPeekMode(ReadOnlySpan<byte> data, out NtpMode mode, out byte version)
    {
        if (data.IsEmpty)
        {
            mode = NtpMode.Reserved;
            version = 0;
            return false;
        }

        mode = (NtpMode)(data[0] & 0x7);
        version = (byte)((data[0] >> 3) & 0x7);
        return true;
    }

    /// <summary>Parses a time packet; on failure <paramref name="error"/> says why and nothing is thrown.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out NtpPacket packet, out PacketError error)
    {
        packet = default;
        if (data.Length < NtpHeader.Size)
        {
            error = PacketError.TooShort;
            return false;
        }

        if (data.Length > MaxLength)
        {
            error = PacketError.TooLong;
            return false;
        }

        if ((data.Length & 3) != 0)
        {
            error = PacketError.Misaligned;
            return false;
        }

        int version = (data[0] >> 3) & 0x7;
        if (version is < 1 or > 4)
        {
            error = PacketError.UnsupportedVersion;
            return false;
        }

        var mode = (NtpMode)(data[0] & 0x7);
        if (mode is NtpMode.Control or NtpMode.Private)
        {
            error = PacketError.ControlMode;
            return false;
        }

        int position = NtpHeader.Size;
        int remaining = data.Length - NtpHeader.Size;
        while (remaining > MaxMacLength)
        {
            if (version < 4)
            {
                error = PacketError.ExtensionInOldVersion;
                return false;
            }

            int fieldLength = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 2)..]);
            if (fieldLength < ExtensionField.MinLength || (fieldLength & 3) != 0 || fieldLength > remaining)
            {
                error = PacketError.BadExtensionField;
                return false;
            }

            position += fieldLength;
            remaining -= fieldLength;
        }

        if (remaining is not (0 or 4 or 20 or 24))
        {
            error = PacketError.BadMacLength;
            return false;
        }

        packet = new NtpPacket(data, NtpHeader.Read(data), position - NtpHeader.Size, remaining);
        error = PacketError.None;
        return true;
    }
}
