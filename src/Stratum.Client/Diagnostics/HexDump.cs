// HexDump: one row of the packet dumps ntpq 4.2.8 prints at debug level 4 (ntpq.c
// dump_hex_printable): up to 16 octets as two upper-case hex digits each, separated by spaces with
// one more space after the eighth, then from column 50 the same octets as ASCII with '.' for a
// character that is not printable (outside 0x20..0x7E, C's isprint in the C locale).
namespace Stratum.Client.Diagnostics;

/// <summary>Formats the rows of a hex dump.</summary>
public static class HexDump
{
    /// <summary>Octets per row.</summary>
    public const int RowLength = 16;

    private const int TextColumn = 3 * RowLength + 2;
    private const string HexDigits = "0123456789ABCDEF";

    /// <summary>One row for up to <see cref="RowLength"/> octets, without a newline.</summary>
    public static string Row(ReadOnlySpan<byte> octets)
    {
        if (octets.Length > RowLength)
        {
            octets = octets[..RowLength];
        }

        var row = new char[TextColumn + octets.Length];
        Array.Fill(row, ' ');
        for (int i = 0; i < octets.Length; i++)
        {
            byte octet = octets[i];
            int column = 3 * i + (i >= RowLength / 2 ? 1 : 0);
            row[column] = HexDigits[octet >> 4];
            row[column + 1] = HexDigits[octet & 0x0F];
            row[TextColumn + i] = octet is >= 0x20 and <= 0x7E ? (char)octet : '.';
        }

        return new string(row);
    }
}
