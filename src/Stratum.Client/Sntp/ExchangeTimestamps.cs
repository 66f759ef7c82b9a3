// ExchangeTimestamps: the four timestamps of one client/server exchange and the offset and delay
// they give (RFC 5905 §8, "On-Wire Protocol"):
//
//   T1 origin (client transmit, local clock)   T2 receive (server clock)
//   T3 transmit (server clock)                  T4 destination (client receive, local clock)
//   theta = ((T2 - T1) + (T3 - T4)) / 2          delta = (T4 - T1) - (T3 - T2)
//
// Differences are taken on the 64-bit timestamps modulo 2^64 and read as signed 32.32, so the
// arithmetic is era-free while the clocks are within 68 years of each other (§6). Each half is
// formed before the sum, as ntpdate does, so large offsets cannot overflow.
using Stratum.Core.Time;

namespace Stratum.Client.Sntp;

/// <summary>T1–T4 of one exchange with the offset (theta) and round-trip delay (delta).</summary>
public readonly record struct ExchangeTimestamps(NtpTimestamp Origin, NtpTimestamp Receive, NtpTimestamp Transmit, NtpTimestamp Destination)
{
    /// <summary>theta: how far the server's clock is ahead of ours (positive: ours is behind).</summary>
    /// <remarks>RFC 5905 §8: theta = ((T2 − T1) + (T3 − T4)) / 2.</remarks>
    public NtpDuration Offset
    {
        get
        {
            NtpDuration outbound = Receive - Origin;
            NtpDuration inbound = Transmit - Destination;
            return new NtpDuration((outbound.Raw >> 1) + (inbound.Raw >> 1));
        }
    }

    /// <summary>delta: round-trip network delay, excluding the server's processing time.</summary>
    /// <remarks>RFC 5905 §8: delta = (T4 − T1) − (T3 − T2).</remarks>
    public NtpDuration Delay => (Destination - Origin) - (Transmit - Receive);
}
