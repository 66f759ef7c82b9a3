// NtpDuration: a signed time interval in 32.32 fixed point, the result of subtracting two NTP
// timestamps (RFC 5905 §6). It spans ±68 years with 233 ps resolution. Algorithms work in double
// seconds; this type is the exact form for wire arithmetic (T2 − T1 and so on).
namespace Stratum.Core.Time;

/// <summary>A signed 32.32 fixed-point interval in seconds.</summary>
public readonly record struct NtpDuration(long Raw) : IComparable<NtpDuration>
{
    private const double FractionScale = 4294967296.0;

    public static NtpDuration Zero => default;

    public double TotalSeconds => Raw / FractionScale;

    /// <summary>Whole nanoseconds, rounded toward negative infinity.</summary>
    public long TotalNanoseconds => (long)(((Int128)Raw * 1_000_000_000) >> 32);

    /// <summary>Converts seconds, saturating at the representable range.</summary>
    public static NtpDuration FromSeconds(double seconds)
    {
        double scaled = Math.Round(seconds * FractionScale);
        if (double.IsNaN(scaled))
        {
            return Zero;
        }

        if (scaled >= long.MaxValue)
        {
            return new NtpDuration(long.MaxValue);
        }

        return scaled <= long.MinValue ? new NtpDuration(long.MinValue) : new NtpDuration((long)scaled);
    }

    public static NtpDuration FromNanoseconds(long nanoseconds)
    {
        long seconds = Math.DivRem(nanoseconds, 1_000_000_000, out long nanos);
        if (nanos < 0)
        {
            nanos += 1_000_000_000;
            seconds--;
        }

        long fraction = (long)((((ulong)nanos << 32) + 999_999_999UL) / 1_000_000_000UL);
        return new NtpDuration(unchecked((seconds << 32) + fraction));
    }

    public int CompareTo(NtpDuration other) => Raw.CompareTo(other.Raw);

    public static NtpDuration operator +(NtpDuration left, NtpDuration right) => new(unchecked(left.Raw + right.Raw));

    public static NtpDuration operator -(NtpDuration left, NtpDuration right) => new(unchecked(left.Raw - right.Raw));

    public static NtpDuration operator -(NtpDuration value) => new(unchecked(-value.Raw));

    public static bool operator <(NtpDuration left, NtpDuration right) => left.Raw < right.Raw;

    public static bool operator >(NtpDuration left, NtpDuration right) => left.Raw > right.Raw;

    public static bool operator <=(NtpDuration left, NtpDuration right) => left.Raw <= right.Raw;

    public static bool operator >=(NtpDuration left, NtpDuration right) => left.Raw >= right.Raw;

    public override string ToString() => TotalSeconds.ToString("0.000000000", System.Globalization.CultureInfo.InvariantCulture);
}
