// LoopTime: the two clocks every Engine entry point receives (ARCHITECTURE.md §3). Mono is
// CLOCK_MONOTONIC in nanoseconds for timers, rate limits and timeouts; Real is the disciplined
// clock as an NTP timestamp for wire fields and offsets. The two are never mixed.
using Stratum.Core.Time;

namespace Stratum.Engine;

/// <summary>The event loop's "now" on both clocks.</summary>
public readonly record struct LoopTime(long Mono, NtpTimestamp Real)
{
    public const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>Monotonic time in seconds, for dispersion growth and ages.</summary>
    public double MonoSeconds => Mono / 1e9;
}
