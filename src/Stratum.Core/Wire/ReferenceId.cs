// ReferenceId: the 32-bit Reference ID (RFC 5905 §7.3 "Reference ID"). For stratum 0 it holds a
// kiss code and for stratum 1 a reference clock name, both as up to four ASCII characters; above
// stratum 1 it is the upstream server's IPv4 address, or the first four octets of the MD5 hash of
// its IPv6 address.
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Stratum.Core.Wire;

/// <summary>The Reference ID field, with the formatting rules ntpq applies.</summary>
public readonly record struct ReferenceId(uint Value)
{
    public static ReferenceId None => default;

    /// <summary>Packs up to four ASCII characters, padding with NULs ("LOCL", "GPS").</summary>
    public static ReferenceId FromAscii(ReadOnlySpan<char> text)
    {
        uint value = 0;
        for (int i = 0; i < 4; i++)
        {
            char c = i < text.Length ? text[i] : '\0';
            if (c > 0x7f)
            {
                throw new ArgumentException("reference id text must be ASCII", nameof(text));
            }

            value = (value << 8) | c;
        }

        return new ReferenceId(value);
    }

    /// <summary>The refid a server puts in its replies when synchronized to <paramref name="address"/>.</summary>
    public static ReferenceId FromAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes, out _);
            return new ReferenceId(BinaryPrimitives.ReadUInt32BigEndian(bytes));
        }

        address.TryWriteBytes(bytes, out int written);
        Span<byte> hash = stackalloc byte[16];
        Md5Digest.Hash(bytes[..written], hash);
        return new ReferenceId(BinaryPrimitives.ReadUInt32BigEndian(hash));
    }

    /// <summary>True when all four bytes are printable ASCII or trailing NULs (a clock or kiss name).</summary>
    public bool IsAsciiName
    {
        get
        {
            bool seenNul = false;
            for (int shift = 24; shift >= 0; shift -= 8)
            {
                byte b = (byte)(Value >> shift);
                if (b == 0)
                {
                    seenNul = true;
                    continue;
                }

                if (seenNul || b < 0x20 || b > 0x7e)
                {
                    return false;
                }
            }

            return Value != 0;
        }
    }

    /// <summary>The four characters with trailing NULs removed ("LOCL", "GPS").</summary>
    public string ToAscii()
    {
        Span<char> chars = stackalloc char[4];
        int length = 0;
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            byte b = (byte)(Value >> shift);
            if (b == 0)
            {
                break;
            }

            chars[length++] = b is >= 0x20 and <= 0x7e ? (char)b : '?';
        }

        return new string(chars[..length]);
    }

    /// <summary>Dotted-quad form ("10.0.0.1"), as used for stratum 2 and above.</summary>
    public string ToDottedQuad() =>
        $"{Value >> 24}.{(Value >> 16) & 0xff}.{(Value >> 8) & 0xff}.{Value & 0xff}";

    /// <summary>Formats as ntpq does: text for stratum 0 and 1 (kiss code or clock name), else an address.</summary>
    public string Format(byte stratum) => stratum <= 1 ? ToAscii() : ToDottedQuad();

    public override string ToString() => IsAsciiName ? ToAscii() : ToDottedQuad();
}
