// VariableList: a mode 6 variable list as ntpdc's fallback reads it: names to raw values via Core's
// reader, with decoders in ntpq's forms (strtoul integers with 0x/0 prefixes, "0x" timestamps,
// milliseconds, addresses with or without a port, " %.2f" arrays). A missing or undecodable value
// reads as zero, as ntpd's C structures would hold it.
using System.Globalization;
using System.Net;
using System.Text;
using Stratum.Core.Mode6;
using Stratum.Core.Time;

namespace Stratum.Tools.Ntpdc;

internal sealed class VariableList
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static VariableList Parse(ReadOnlySpan<byte> data)
    {
        var list = new VariableList();
        var reader = new ControlVariableReader(data);
        while (reader.TryReadNext(out ControlVariable variable))
        {
            list._values[Encoding.ASCII.GetString(variable.Name)] = Encoding.ASCII.GetString(variable.UnquotedValue);
        }

        return list;
    }

    public string? this[string name] => _values.TryGetValue(name, out string? value) ? value : null;

    public ulong Unsigned(string name)
    {
        string? text = this[name];
        if (text is null)
        {
            return 0;
        }

        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong hex) ? hex : 0;
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) ? value : 0;
    }

    public long Signed(string name) =>
        long.TryParse(this[name], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : 0;

    public double Milliseconds(string name) =>
        double.TryParse(this[name], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : 0;

    public NtpTimestamp Timestamp(string name)
    {
        string? text = this[name];
        if (text is null)
        {
            return NtpTimestamp.Zero;
        }

        string digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        int dot = digits.IndexOf('.', StringComparison.Ordinal);
        return dot > 0
            && uint.TryParse(digits.AsSpan(0, dot), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint seconds)
            && uint.TryParse(digits.AsSpan(dot + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint fraction)
            ? NtpTimestamp.FromParts(seconds, fraction)
            : NtpTimestamp.Zero;
    }

    public IPAddress Address(string name)
    {
        string? text = this[name];
        if (text is null)
        {
            return IPAddress.Any;
        }

        if (IPAddress.TryParse(text, out IPAddress? address))
        {
            return address;
        }

        return IPEndPoint.TryParse(text, out IPEndPoint? endpoint) ? endpoint.Address : IPAddress.Any;
    }

    public double[] Array(string name)
    {
        string? text = this[name];
        if (text is null)
        {
            return [];
        }

        var values = new List<double>();
        foreach (string part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            values.Add(double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : 0);
        }

        return [.. values];
    }
}
