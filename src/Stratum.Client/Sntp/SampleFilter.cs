// SampleFilter: ntpdate 4.2.8's per-server clock filter, a reduced form of the RFC 5905 §10 clock
// filter. Each exchange becomes a FilterSample (offset theta, budgeted delay, see FilterSample); a
// missing reply leaves an empty slot. Of the configured number of slots the sample with the lowest
// delay wins; empty slots sort last. Dispersion sums, in delay order, each other sample's offset
// distance from the winner (an empty slot counts as 64 s, the cap) halved once per rank, which is
// RFC 5905's epsilon with a filter weight of 1/2. Selection ranks servers by it.
//
// Fixed point: ntpdate keeps delay and the comparison offset in 16.16 ("s_fp") and truncates toward
// minus infinity; this class does the same so printed delays match ntpdate digit for digit.
using Stratum.Core.Time;

namespace Stratum.Client.Sntp;

/// <summary>Turns exchanges into samples and picks each server's best sample.</summary>
public static class SampleFilter
{
    /// <summary>Largest number of samples per server (ntpdate's NTP_SHIFT).</summary>
    public const int MaxSamples = 8;

    /// <summary>Dispersion charged for an empty slot or a wild offset (ntpdate PEER_MAXDISP).</summary>
    public const double MaxDispersionSeconds = 64.0;

    /// <summary>ntpdate's own precision, 2^-6 s (NTPDATE_PRECISION).</summary>
    public const sbyte NtpdatePrecision = -6;

    /// <summary>Skew allowance, 0x28f in 16.16 (about 0.01 s, ntpdate NTP_MAXSKW).</summary>
    public static NtpDuration SkewAllowance => FromShortFixed(0x28f);

    /// <summary>Smallest budgeted delay, 0x51f in 16.16 (about 0.02 s, ntpdate NTP_MINDIST).</summary>
    public static NtpDuration MinimumDelay => FromShortFixed(0x51f);

    /// <summary>
    /// Builds the sample for one exchange, or null when the budgeted delay is not positive (a reply
    /// too inconsistent to use; ntpdate stores it as an empty slot).
    /// </summary>
    /// <remarks>RFC 5905 §8 theta and delta; the delay budget follows ntpdate 4.2.8's receive().</remarks>
    public static FilterSample? CreateSample(ExchangeTimestamps timestamps, sbyte serverPrecision)
    {
        long delay = ShortFixed(timestamps.Delay)
            + PrecisionInShortFixed(NtpdatePrecision)
            + PrecisionInShortFixed(serverPrecision)
            + ShortFixed(SkewAllowance);
        if (delay <= 0)
        {
            return null;
        }

        delay = Math.Max(delay, ShortFixed(MinimumDelay));
        return new FilterSample(timestamps.Offset, FromShortFixed(delay), timestamps);
    }

    /// <summary>Picks the lowest-delay sample among the first <paramref name="sampleCount"/> slots.</summary>
    /// <remarks>RFC 5905 §10 clock filter, with ntpdate's simplifications (no aging, weight 1/2).</remarks>
    public static FilterResult Filter(IReadOnlyList<FilterSample?> samples, int sampleCount)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleCount, MaxSamples);

        Span<int> order = stackalloc int[sampleCount];
        for (int i = 0; i < sampleCount; i++)
        {
            order[i] = i;
        }

        // Stable insertion sort by delay, empty slots last (ntpdate sorts zero delays to the end).
        for (int i = 1; i < sampleCount; i++)
        {
            int current = order[i];
            int j = i - 1;
            while (j >= 0 && SortsBefore(At(samples, current), At(samples, order[j])))
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = current;
        }

        FilterSample? best = At(samples, order[0]);
        if (best is not { } winner)
        {
            return FilterResult.Empty;
        }

        double bestOffset = ShortFixedSeconds(winner.Offset);
        double dispersion = 0;
        for (int rank = 1; rank < sampleCount; rank++)
        {
            double distance = At(samples, order[rank]) is { } other
                ? Math.Min(Math.Abs(ShortFixedSeconds(other.Offset) - bestOffset), MaxDispersionSeconds)
                : MaxDispersionSeconds;
            dispersion += Math.ScaleB(distance, -rank);
        }

        return new FilterResult(true, winner.Offset, winner.Delay, dispersion);
    }

    /// <summary>The offset as ntpdate compares it: truncated to 16.16, in seconds.</summary>
    public static double ShortFixedSeconds(NtpDuration value) => ShortFixed(value) / 65536.0;

    /// <summary>Truncates a 32.32 duration to 16.16 toward minus infinity, saturating like LFPTOFP.</summary>
    internal static long ShortFixed(NtpDuration value) => Math.Clamp(value.Raw >> 16, int.MinValue, int.MaxValue);

    internal static NtpDuration FromShortFixed(long shortFixed) => new(shortFixed << 16);

    /// <summary>2^precision seconds in 16.16, as ntpdate's FP_SECOND &gt;&gt; -precision.</summary>
    internal static long PrecisionInShortFixed(sbyte precision) =>
        precision >= 0 ? 65536 : precision <= -17 ? 0 : 65536 >> -precision;

    private static FilterSample? At(IReadOnlyList<FilterSample?> samples, int index) =>
        index < samples.Count ? samples[index] : null;

    private static bool SortsBefore(FilterSample? candidate, FilterSample? other) =>
        candidate is { } a && (other is not { } b || a.Delay < b.Delay);
}
