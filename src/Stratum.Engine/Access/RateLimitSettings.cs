// RateLimitSettings: the "discard average A minimum M" limits for `limited` clients (ntpd 4.2.8
// accopt.html: average in log2 s, default 3 = 8 s; minimum in s, default 2) and Stratum's limits
// on control queries (mode 6 now, mode 7 later).
// Deviation: ntpd 4.2.8 does not rate limit mode 6. Its replies are larger than its requests (a
// READVAR of 12 bytes draws hundreds), so an unrestricted mode 6 server is an amplifier for
// spoofed requests. Stratum therefore always limits queries, per client and in total, with a
// generous budget that interactive ntpq use never reaches.
using Stratum.Core.Config;

namespace Stratum.Engine.Access;

/// <summary>Rate limits for time requests and control queries.</summary>
/// <param name="AverageLog2Seconds">discard average: the minimum average spacing of a `limited` client, log2 s.</param>
/// <param name="MinimumSeconds">discard minimum: the minimum spacing of a `limited` client, s.</param>
/// <param name="QueryBurstPerClient">Control queries a client may send back to back.</param>
/// <param name="QueryIntervalPerClientNanoseconds">After the burst, one query per this interval per client.</param>
/// <param name="QueryBurstTotal">Control queries all clients together may send back to back.</param>
/// <param name="QueryIntervalTotalNanoseconds">After that burst, one query per this interval in total.</param>
/// <param name="LeakReplies">Answer a rate-limited client normally once per average interval (see AccessControl).</param>
public sealed record RateLimitSettings(
    int AverageLog2Seconds = RateLimitSettings.DefaultAverageLog2Seconds,
    int MinimumSeconds = RateLimitSettings.DefaultMinimumSeconds,
    int QueryBurstPerClient = 32,
    long QueryIntervalPerClientNanoseconds = 125_000_000,
    int QueryBurstTotal = 1000,
    long QueryIntervalTotalNanoseconds = 1_000_000,
    bool LeakReplies = true)
{
    public const int DefaultAverageLog2Seconds = 3;
    public const int DefaultMinimumSeconds = 2;

    public static RateLimitSettings Default { get; } = new();

    /// <summary>The increment of the headway score per packet and the average spacing, s: 2^average.</summary>
    public int HeadwaySeconds => 1 << Math.Clamp(AverageLog2Seconds, 0, 30);

    /// <summary>Translates a parsed discard line, filling in ntpd's defaults.</summary>
    public static RateLimitSettings From(DiscardOptions discard)
    {
        ArgumentNullException.ThrowIfNull(discard);
        return new RateLimitSettings(
            discard.AverageLog2Seconds ?? DefaultAverageLog2Seconds,
            discard.MinimumSeconds ?? DefaultMinimumSeconds);
    }
}
