// FilterSample: one usable measurement in ntpdate's per-server register. Delay is ntpdate's error
// budget, not the bare round trip: the measured delta truncated to 16.16 fixed point, plus ntpdate's
// own precision (2^-6 s), the server's precision and a skew allowance (0x28f/65536 s, about 10 ms),
// and at least 0x51f/65536 s (about 20 ms). That is why ntpdate prints "delay 0.02573" over
// loopback, and why this number is what the filter and selection compare.
using Stratum.Core.Time;

namespace Stratum.Client.Sntp;

/// <summary>Offset and budgeted delay of one exchange, with the raw timestamps for debug output.</summary>
public readonly record struct FilterSample(NtpDuration Offset, NtpDuration Delay, ExchangeTimestamps Timestamps)
{
    /// <summary>The bare round-trip delay (RFC 5905 delta) before ntpdate's error budget.</summary>
    public NtpDuration MeasuredDelay => Timestamps.Delay;
}
