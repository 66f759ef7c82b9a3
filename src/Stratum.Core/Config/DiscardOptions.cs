// DiscardOptions: the "discard" command (ntpd 4.2.8 accopt.html "discard [average avg]
// [minimum min] [monitor prob]"): the rate limits applied to "restrict ... limited" clients.
// Null means "not given: use ntpd's default" (average 3, minimum 2, monitor 3000).
namespace Stratum.Core.Config;

/// <summary>Rate-limit parameters from discard lines.</summary>
public sealed record DiscardOptions
{
    public static DiscardOptions Default { get; } = new();

    /// <summary><c>average</c>: minimum average interval between a client's packets, log2 seconds.</summary>
    public int? AverageLog2Seconds { get; init; }

    /// <summary><c>minimum</c>: minimum interval between a client's packets, in seconds.</summary>
    public int? MinimumSeconds { get; init; }

    /// <summary><c>monitor</c>: ntpd's discard threshold for packets beyond the monitor window.</summary>
    public int? Monitor { get; init; }
}
