// ControlVariableWriter: builds a mode 6 variable list the way ntpd 4.2.8's ctl_putdata() does:
// items joined by ", ", or by ",\r\n" when the current line would reach 72 characters
// (MAXDATALINELEN); strings quoted; numbers in ntpd's formats (%.3f ms, %.6f for offset and
// sys_jitter, 0x%08x.%08x timestamps, 0x%x hex). The text may exceed one fragment; the
// responder splits it into 468-octet fragments afterwards, as ntpd's ctl_flushpkt does.
using System.Globalization;
using System.Text;
using Stratum.Core.Time;

namespace Stratum.Core.Mode6;

/// <summary>Appends "name=value" items to a growing ASCII buffer.</summary>
public sealed class ControlVariableWriter
{
    /// <summary>ntpd MAXDATALINELEN.</summary>
    public const int MaxLineLength = 72;

    private readonly StringBuilder _text = new();
    private int _lineLength;

    public int Length => _text.Length;

    public void Clear()
    {
        _text.Clear();
        _lineLength = 0;
    }

    /// <summary>Appends an item whose value is already formatted (ctl_putdata).</summary>
    public void AddRaw(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        int itemLength = name.Length + 1 + value.Length;
        if (_text.Length > 0)
        {
            _text.Append(',');
            if (_lineLength + itemLength + 2 >= MaxLineLength)
            {
                _text.Append("\r\n");
                _lineLength = 0;
            }
            else
            {
                _text.Append(' ');
                _lineLength++;
            }
        }

        _text.Append(name).Append('=').Append(value);
        _lineLength += itemLength;
    }

    /// <summary>A quoted string (ctl_putstr).</summary>
    public void AddString(string name, string value) => AddRaw(name, "\"" + value + "\"");

    /// <summary>An unsigned or signed integer (ctl_putuint, ctl_putint).</summary>
    public void AddInteger(string name, long value) => AddRaw(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Hexadecimal with 0x prefix (ctl_puthex).</summary>
    public void AddHex(string name, ulong value) => AddRaw(name, "0x" + value.ToString("x", CultureInfo.InvariantCulture));

    /// <summary>Seconds shown as milliseconds with 3 decimals (ctl_putdbl).</summary>
    public void AddMilliseconds(string name, double seconds) => AddRaw(name, FormatFixed(seconds * 1e3, 3));

    /// <summary>Seconds shown as milliseconds with 6 decimals (ctl_putdbl6).</summary>
    public void AddMillisecondsPrecise(string name, double seconds) => AddRaw(name, FormatFixed(seconds * 1e3, 6));

    /// <summary>A plain value with 3 decimals (frequency in ppm).</summary>
    public void AddFixed3(string name, double value) => AddRaw(name, FormatFixed(value, 3));

    /// <summary>A double as C's "%g" (ntpd's ctl_putdblf without %f, and ctl_putsfp).</summary>
    public void AddGeneral(string name, double value) => AddRaw(name, CNumberFormat.General(value));

    /// <summary>An NTP timestamp as 0x%08x.%08x (ctl_putts).</summary>
    public void AddTimestamp(string name, NtpTimestamp value) =>
        AddRaw(name, string.Create(CultureInfo.InvariantCulture, $"0x{value.Seconds:x8}.{value.Fraction:x8}"));

    /// <summary>A list of seconds as milliseconds, " %.2f" each (ctl_putarray).</summary>
    public void AddArray(string name, ReadOnlySpan<double> seconds)
    {
        var builder = new StringBuilder();
        foreach (double value in seconds)
        {
            builder.Append(' ').Append(FormatFixed(value * 1e3, 2));
        }

        AddRaw(name, builder.ToString());
    }

    /// <summary>The list as ASCII octets.</summary>
    public byte[] ToBytes() => Encoding.ASCII.GetBytes(_text.ToString());

    public override string ToString() => _text.ToString();

    /// <summary>printf("%.Nf") in the invariant culture (like C, negative zero prints as "-0.000").</summary>
    public static string FormatFixed(double value, int decimals) =>
        value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
