// NtpShort: the 32-bit "NTP Short Format" of RFC 5905 §6 (16 bits of seconds, 16 bits of
// fraction, unsigned), used on the wire for root delay and root dispersion. Conversions from
// seconds saturate instead of wrapping, because a huge dispersion must stay huge.
using System.Buffers.Binary;

namespace Stratum.Core.Time;

/// <summary>An unsigned 16.16 fixed-point interval in seconds (RFC 5905 §6).</summary>
public readonly record struct NtpShort(uint Raw)
{
    private const double FractionScale = 65536.0;

    public static NtpShort Zero => default;

    public static NtpShort MaxValue => new(uint.MaxValue);

    public double TotalSeconds => Raw / FractionScale;

    /// <summary>Converts seconds, rounding up (so a small non-zero error never reads as zero) and
    /// clamping negative values to zero and large ones to the maximum.</summary>
    public static NtpShort FromSeconds(double seconds)
    {
        if (double.IsNaN(seconds) || seconds <= 0)
        {
            return Zero;
        }

        double scaled = Math.Ceiling(seconds * FractionScale);
        return scaled >= uint.MaxValue ? MaxValue : new NtpShort((uint)scaled);
    }

    public static NtpShort Read(ReadOnlySpan<byte> source) => new(BinaryPrimitives.ReadUInt32BigEndian(source));

    public void Write(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, Raw);
}
