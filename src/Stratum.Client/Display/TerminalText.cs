// TerminalText: text that came from the network (a server's variable names and values, refids, MRU
// rows, the answer to :config, reverse-DNS names), made safe to print on a terminal. A hostile or
// broken server could otherwise send escape sequences (ESC [ 2 J clears the screen, OSC sequences
// retitle the window or worse), a bell, or a carriage return that overwrites what was printed before.
// The one form used everywhere: every C0 control (0x00–0x1F, tab, CR and LF included), DEL (0x7F)
// and C1 control (0x80–0x9F) is shown as a backslash, 'x' and two lower-case hex digits ("\x1b").
// From the wire (mode 6 text is ASCII) every octet outside printable ASCII 0x20–0x7E is shown so,
// where decoding as ASCII would have printed '?'. A backslash itself is printed as is: it cannot
// start a terminal sequence, and NTP values do not use it.
using System.Text;

namespace Stratum.Client.Display;

/// <summary>Escapes control characters in text received from a server.</summary>
public static class TerminalText
{
    private const string HexDigits = "0123456789abcdef";

    /// <summary>True for a character shown escaped: C0, DEL, C1.</summary>
    public static bool IsControl(char c) => c < 0x20 || c is >= '\x7f' and <= '\x9f';

    /// <summary><paramref name="text"/> with every C0, DEL and C1 control as "\xHH".</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int first = 0;
        while (first < text.Length && !IsControl(text[first]))
        {
            first++;
        }

        if (first == text.Length)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 8);
        escaped.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (IsControl(c))
            {
                AppendEscape(escaped, c);
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    /// <summary>Octets from the wire as text: printable ASCII as is, every other octet as "\xHH".</summary>
    public static string FromWire(ReadOnlySpan<byte> octets) => FromWire(octets, keepLineBreaks: false);

    /// <summary>
    /// As <see cref="FromWire(ReadOnlySpan{byte})"/>; with <paramref name="keepLineBreaks"/> (ntpq's
    /// raw output, where the server separates variables with CR LF) a CR LF pair or a lone LF becomes a
    /// newline; a lone CR is still escaped.
    /// </summary>
    public static string FromWire(ReadOnlySpan<byte> octets, bool keepLineBreaks)
    {
        var text = new StringBuilder(octets.Length);
        for (int i = 0; i < octets.Length; i++)
        {
            byte octet = octets[i];
            if (octet is >= 0x20 and <= 0x7E)
            {
                text.Append((char)octet);
            }
            else if (keepLineBreaks && octet == (byte)'\n')
            {
                text.Append('\n');
            }
            else if (keepLineBreaks && octet == (byte)'\r' && i + 1 < octets.Length && octets[i + 1] == (byte)'\n')
            {
                text.Append('\n');
                i++;
            }
            else
            {
                AppendEscape(text, (char)octet);
            }
        }

        return text.ToString();
    }

    private static void AppendEscape(StringBuilder text, char c) =>
        text.Append('\\').Append('x').Append(HexDigits[(c >> 4) & 0xF]).Append(HexDigits[c & 0xF]);
}
