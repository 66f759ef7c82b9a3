// FixedPointText: decimal text for NTP fixed-point values, digit-for-digit as ntp 4.2.8's libntp
// prints them, so tool output matches the classic tools:
//   SignedSeconds   (lfptoa): 32.32 signed; '-' when negative, '+' otherwise ("+0.000012").
//   ShortSigned     (fptoa):  16.16 signed; '-' only when negative ("0.02573").
//   ShortUnsigned   (ufptoa): 16.16 unsigned.
// All round half up on the exact binary value (the rounding bit is the first bit not printed), and
// print at least one integer digit ("0.5", never ".5").
using System.Globalization;
using Stratum.Core.Time;

namespace Stratum.Client.Display;

/// <summary>libntp-compatible formatting of 32.32 and 16.16 fixed-point numbers.</summary>
public static class FixedPointText
{
    /// <summary>lfptoa: a 32.32 signed value with an explicit sign ('+' for zero and positive).</summary>
    /// <remarks>ntp 4.2.8's final releases print '+' for non-negative l_fp values (mfptoa); ntpdate's
    /// "offset +0.000012" comes from here.</remarks>
    public static string SignedSeconds(NtpDuration value, int decimals)
    {
        bool negative = value.Raw < 0;
        ulong magnitude = negative ? unchecked((ulong)-value.Raw) : (ulong)value.Raw;
        return (negative ? "-" : "+") + Magnitude(magnitude, decimals);
    }

    /// <summary>fptoa: a 16.16 signed value, '-' only when negative.</summary>
    public static string ShortSigned(int raw, int decimals)
    {
        bool negative = raw < 0;
        ulong magnitude = (ulong)Math.Abs((long)raw) << 16;
        return (negative ? "-" : string.Empty) + Magnitude(magnitude, decimals);
    }

    /// <summary>ufptoa: a 16.16 unsigned value.</summary>
    public static string ShortUnsigned(uint raw, int decimals) => Magnitude((ulong)raw << 16, decimals);

    /// <summary>fptoa of a duration already in 16.16 resolution (ntpdate's delays).</summary>
    public static string ShortSigned(NtpDuration value, int decimals) =>
        ShortSigned((int)Math.Clamp(value.Raw >> 16, int.MinValue, int.MaxValue), decimals);

    private static string Magnitude(ulong magnitude32x32, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(decimals, 9);
        ulong integer = magnitude32x32 >> 32;
        ulong fraction = magnitude32x32 & 0xFFFF_FFFF;
        ulong scale = 1;
        for (int i = 0; i < decimals; i++)
        {
            scale *= 10;
        }

        // Round half up: the digits kept plus one if the remainder is at least half a unit.
        ulong digits = (ulong)(((UInt128)fraction * scale + 0x8000_0000UL) >> 32);
        if (digits >= scale)
        {
            integer++;
            digits -= scale;
        }

        return decimals == 0
            ? integer.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{integer}.{digits.ToString(new string('0', decimals), CultureInfo.InvariantCulture)}");
    }
}
