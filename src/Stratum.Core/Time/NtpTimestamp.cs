// NtpTimestamp: the 64-bit NTP timestamp of RFC 5905 §6 (32 bits of seconds since the start of an
// era, 32 bits of fraction). The value carries no era number, so conversion to absolute time needs
// a pivot: the era is chosen that puts the result within ±68 years of the pivot, which is how the
// 2036 rollover (era 0 ends 2036-02-07T06:28:16Z) is crossed. Differences between two timestamps are
// taken modulo 2^64 and read as signed 32.32 (§6: valid while they are less than 68 years apart).
using System.Buffers.Binary;
using System.Globalization;

namespace Stratum.Core.Time;

/// <summary>A 64-bit NTP timestamp (RFC 5905 §6 "NTP Timestamp Format").</summary>
public readonly record struct NtpTimestamp(ulong Raw) : IComparable<NtpTimestamp>
{
    /// <summary>Seconds from 1900-01-01 (NTP era 0 prime epoch) to 1970-01-01.</summary>
    public const long UnixEpochInNtpSeconds = 2_208_988_800;

    private const long NanosecondsPerSecond = 1_000_000_000;
    private const long SecondsPerEra = 1L << 32;

    /// <summary>The zero timestamp, which RFC 5905 uses to mean "unknown / not set".</summary>
    public static NtpTimestamp Zero => default;

    public uint Seconds => (uint)(Raw >> 32);

    public uint Fraction => (uint)Raw;

    public bool IsZero => Raw == 0;

    public static NtpTimestamp FromParts(uint seconds, uint fraction) => new(((ulong)seconds << 32) | fraction);

    /// <summary>
    /// Converts Unix time in nanoseconds to an NTP timestamp; the era is dropped. The fraction is
    /// rounded up so that <see cref="ToUnixNanoseconds(long)"/> returns the same nanosecond.
    /// </summary>
    public static NtpTimestamp FromUnixNanoseconds(long unixNanoseconds)
    {
        long seconds = Math.DivRem(unixNanoseconds, NanosecondsPerSecond, out long nanos);
        if (nanos < 0)
        {
            nanos += NanosecondsPerSecond;
            seconds--;
        }

        ulong fraction = (((ulong)nanos << 32) + NanosecondsPerSecond - 1) / NanosecondsPerSecond;
        ulong ntpSeconds = unchecked((ulong)(seconds + UnixEpochInNtpSeconds));
        return new NtpTimestamp((ntpSeconds << 32) + fraction);
    }

    /// <summary>
    /// Converts to Unix nanoseconds in the era that lies nearest to <paramref name="pivotUnixNanoseconds"/>
    /// (within ±2^31 s), so a timestamp just after the 2036 rollover is read as 2036, not 1900.
    /// </summary>
    public long ToUnixNanoseconds(long pivotUnixNanoseconds)
    {
        long pivotNtpSeconds = Math.DivRem(pivotUnixNanoseconds, NanosecondsPerSecond, out long rem) + UnixEpochInNtpSeconds;
        if (rem < 0)
        {
            pivotNtpSeconds--;
        }

        long eraStart = pivotNtpSeconds & ~(SecondsPerEra - 1);
        long candidate = eraStart + Seconds;
        if (candidate - pivotNtpSeconds > SecondsPerEra / 2)
        {
            candidate -= SecondsPerEra;
        }
        else if (pivotNtpSeconds - candidate > SecondsPerEra / 2)
        {
            candidate += SecondsPerEra;
        }

        long nanos = (long)(((ulong)Fraction * NanosecondsPerSecond) >> 32);
        return ((candidate - UnixEpochInNtpSeconds) * NanosecondsPerSecond) + nanos;
    }

    /// <summary>
    /// Converts with the RFC 4330 §3 rule used when no better pivot is known: seconds with the top
    /// bit set are era 0 (1968–2036), the others era 1 (2036–2104).
    /// </summary>
    public long ToUnixNanoseconds()
    {
        long eraSeconds = (Seconds & 0x8000_0000u) != 0 ? Seconds : Seconds + SecondsPerEra;
        long nanos = (long)(((ulong)Fraction * NanosecondsPerSecond) >> 32);
        return ((eraSeconds - UnixEpochInNtpSeconds) * NanosecondsPerSecond) + nanos;
    }

    /// <summary>The signed difference this − other, valid while they are within 68 years (§6).</summary>
    public NtpDuration Subtract(NtpTimestamp other) => new(unchecked((long)(Raw - other.Raw)));

    public static NtpDuration operator -(NtpTimestamp left, NtpTimestamp right) => left.Subtract(right);

    public static NtpTimestamp operator +(NtpTimestamp left, NtpDuration right) => new(unchecked(left.Raw + (ulong)right.Raw));

    public static NtpTimestamp operator -(NtpTimestamp left, NtpDuration right) => new(unchecked(left.Raw - (ulong)right.Raw));

    /// <summary>Orders by signed difference, so order holds across the era boundary.</summary>
    public int CompareTo(NtpTimestamp other) => Subtract(other).Raw.CompareTo(0);

    public static bool operator <(NtpTimestamp left, NtpTimestamp right) => left.CompareTo(right) < 0;

    public static bool operator >(NtpTimestamp left, NtpTimestamp right) => left.CompareTo(right) > 0;

    public static bool operator <=(NtpTimestamp left, NtpTimestamp right) => left.CompareTo(right) <= 0;

    public static bool operator >=(NtpTimestamp left, NtpTimestamp right) => left.CompareTo(right) >= 0;

    public static NtpTimestamp Read(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt64BigEndian(source));

    public void Write(Span<byte> destination) => BinaryPrimitives.WriteUInt64BigEndian(destination, Raw);

    /// <summary>ntpq's hex form, e.g. <c>eeadf1fc.313a00d9</c>.</summary>
    public string ToHexString() => string.Create(CultureInfo.InvariantCulture, $"{Seconds:x8}.{Fraction:x8}");

    public override string ToString() => ToHexString();
}
