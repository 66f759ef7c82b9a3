// CNumberFormat: C's printf("%g") for the places where ntpd and ntpdc print a double that way
// (ntpd's kernel variables koffset, kfreq, kmaxerr …, and ntpdc's kerninfo): six significant digits,
// trailing zeros removed, exponent form below 1e-4 and from 1e6 on, the exponent at least two digits.
using System.Globalization;

namespace Stratum.Core.Mode6;

/// <summary>printf-style number formats shared by the daemon and the query tools.</summary>
public static class CNumberFormat
{
    /// <summary>printf("%g", value).</summary>
    public static string General(double value)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return value == 0 ? "0" : value.ToString(CultureInfo.InvariantCulture).ToLowerInvariant();
        }

        // Round to six significant digits first: the exponent that decides the form is the rounded one.
        string rounded = value.ToString("E5", CultureInfo.InvariantCulture);
        int mark = rounded.IndexOf('E', StringComparison.Ordinal);
        int exponent = int.Parse(rounded[(mark + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (exponent < -4 || exponent >= 6)
        {
            string mantissa = TrimZeros(rounded[..mark]);
            return string.Create(CultureInfo.InvariantCulture, $"{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):D2}");
        }

        return TrimZeros(value.ToString("F" + (5 - exponent).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
    }

    private static string TrimZeros(string text) =>
        text.Contains('.', StringComparison.Ordinal) ? text.TrimEnd('0').TrimEnd('.') : text;
}
