// AddressSyntax: strict syntax checks for the addresses of ntp.conf lines. IPv4 literals are
// four decimal octets without leading zeros (IPAddress.TryParse would also take "1.2.3" and
// "0x7f.1", which ntpd would send to the resolver as names); IPv6 literals are hex groups with an
// optional %zone (checked, then left out of the IPAddress); host names follow RFC 1123 §2.1
// (letters, digits, '-' and '.', labels of 1..63, at most 253 characters, and a last label that
// is not all digits, so "192.168.1.300" is a bad address, not a name). 127.127.T.U is ntpd's
// reference clock pseudo address.
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Stratum.Core.Config;

/// <summary>Address, mask and host name syntax.</summary>
internal static class AddressSyntax
{
    private const int MaxHostNameLength = 253;
    private const int MaxLabelLength = 63;

    private static readonly byte[] s_ipv6AllOnes =
    [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    ];

    /// <summary>Classifies <paramref name="text"/>; <paramref name="literal"/> is set for IPv4 and IPv6.</summary>
    public static AddressForm Classify(string text, out IPAddress? literal)
    {
        if (TryParseIPv4(text, out literal))
        {
            return AddressForm.IPv4;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TryParseIPv6(text, out literal) ? AddressForm.IPv6 : AddressForm.Invalid;
        }

        literal = null;
        return IsHostName(text) ? AddressForm.HostName : AddressForm.Invalid;
    }

    /// <summary>An IPv4 or IPv6 literal.</summary>
    public static bool TryParseLiteral(string text, [NotNullWhen(true)] out IPAddress? address) =>
        Classify(text, out address) is AddressForm.IPv4 or AddressForm.IPv6 && address is not null;

    /// <summary>127.127.T.U: a reference clock of driver type T, unit U.</summary>
    public static bool TryParseRefClock(string text, out byte driverType, out byte unit)
    {
        driverType = 0;
        unit = 0;
        if (!TryParseIPv4(text, out IPAddress? address))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        if (bytes[0] != 127 || bytes[1] != 127)
        {
            return false;
        }

        driverType = bytes[2];
        unit = bytes[3];
        return true;
    }

    /// <summary>True for a multicast group: 224.0.0.0/4 or ff00::/8.</summary>
    public static bool IsMulticast(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? address.IsIPv6Multicast
            : (address.GetAddressBytes()[0] & 0xF0) == 0xE0;

    public static AddressFamilyHint FamilyOf(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? AddressFamilyHint.IPv6 : AddressFamilyHint.IPv4;

    /// <summary>The all-ones mask of the address's family (ntpd's mask for "restrict ADDRESS").</summary>
    public static IPAddress HostMask(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPAddress(s_ipv6AllOnes)
            : IPAddress.Broadcast;

    /// <summary>
    /// "bad address 'x'", with a hint when the word starts with a typographic dash: guides
    /// printed with "smart" punctuation turn "restrict -4 default" into "restrict −4 default".
    /// </summary>
    public static string BadAddressMessage(string text)
    {
        string message = $"bad address {DiagnosticText.Quote(text)}";
        if (text.Length > 1 && text[0] is '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2212')
        {
            message += $" (a typographic dash: write {DiagnosticText.Quote("-" + text[1..])})";
        }

        return message;
    }

    /// <summary>"'-6' does not match IPv4 address '192.0.2.1'".</summary>
    public static string FamilyMismatchMessage(ConfigToken flag, AddressFamilyHint literalFamily, string text)
    {
        string family = literalFamily == AddressFamilyHint.IPv6 ? "IPv6" : "IPv4";
        return $"{DiagnosticText.Quote(flag.Text)} does not match {family} address {DiagnosticText.Quote(text)}";
    }

    private static bool TryParseIPv4(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        Span<byte> octets = stackalloc byte[4];
        int octet = 0;
        int value = 0;
        int digits = 0;
        foreach (char c in text)
        {
            if (c == '.')
            {
                if (digits == 0 || octet == 3)
                {
                    return false;
                }

                octets[octet++] = (byte)value;
                value = 0;
                digits = 0;
                continue;
            }

            bool leadingZero = digits > 0 && value == 0;
            if (!char.IsAsciiDigit(c) || leadingZero)
            {
                return false;
            }

            value = (value * 10) + (c - '0');
            digits++;
            if (value > 255)
            {
                return false;
            }
        }

        if (octet != 3 || digits == 0)
        {
            return false;
        }

        octets[3] = (byte)value;
        address = new IPAddress(octets);
        return true;
    }

    private static bool TryParseIPv6(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        int zoneStart = text.IndexOf('%', StringComparison.Ordinal);
        ReadOnlySpan<char> groups = zoneStart < 0 ? text : text.AsSpan(0, zoneStart);
        foreach (char c in groups)
        {
            if (!char.IsAsciiHexDigit(c) && c != ':' && c != '.')
            {
                return false;
            }
        }

        if (zoneStart >= 0 && !IsZoneId(text.AsSpan(zoneStart + 1)))
        {
            return false;
        }

        // The zone is checked but not parsed: IPAddress.TryParse would look the interface name up
        // in the OS (if_nametoindex). Restrict and interface matching ignore zones, as ntpd does,
        // and server lines keep the address as written for the resolver.
        return IPAddress.TryParse(groups, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    private static bool IsZoneId(ReadOnlySpan<char> zone)
    {
        if (zone.IsEmpty)
        {
            return false;
        }

        foreach (char c in zone)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHostName(string text)
    {
        ReadOnlySpan<char> name = text.EndsWith('.') ? text.AsSpan(0, text.Length - 1) : text;
        if (name.IsEmpty || name.Length > MaxHostNameLength)
        {
            return false;
        }

        bool lastLabelAllDigits = true;
        int labelLength = 0;
        for (int i = 0; i <= name.Length; i++)
        {
            if (i == name.Length || name[i] == '.')
            {
                if (labelLength == 0 || labelLength > MaxLabelLength || name[i - 1] == '-')
                {
                    return false;
                }

                if (i < name.Length)
                {
                    labelLength = 0;
                    lastLabelAllDigits = true;
                }

                continue;
            }

            char c = name[i];
            if (!char.IsAsciiLetterOrDigit(c) && (c != '-' || labelLength == 0))
            {
                return false;
            }

            lastLabelAllDigits &= char.IsAsciiDigit(c);
            labelLength++;
        }

        return !lastLabelAllDigits;
    }
}
