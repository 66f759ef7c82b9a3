// TosOptions: the "tos" command (ntpd 4.2.8 miscopt.html "tos [beacon | ceiling | cohort |
// floor | maxclock | maxdist | minclock | mindist | minsane | orphan | orphanwait ...]"). Null
// means "not given: use the default". The parser checks ranges and ntpd's consistency rules
// (minsane < minclock <= maxclock, floor <= ceiling).
namespace Stratum.Core.Config;

/// <summary>Selection and orphan-mode tuning from tos lines.</summary>
public sealed record TosOptions
{
    /// <summary>ntpd 4.2.8's minsane when tos does not set it.</summary>
    public const int DefaultMinSane = 1;

    /// <summary>ntpd 4.2.8's minclock (NTP_MINCLOCK).</summary>
    public const int DefaultMinClock = 3;

    /// <summary>ntpd 4.2.8's maxclock (NTP_MAXCLOCK).</summary>
    public const int DefaultMaxClock = 10;

    /// <summary>ntpd 4.2.8's floor.</summary>
    public const int DefaultFloor = 0;

    /// <summary>ntpd 4.2.8's ceiling (STRATUM_UNSPEC - 1).</summary>
    public const int DefaultCeiling = 15;

    public static TosOptions Default { get; } = new();

    /// <summary><c>beacon</c>: longest interval between broadcast/manycast beacons, in seconds.</summary>
    public int? BeaconInterval { get; init; }

    /// <summary><c>ceiling</c>: servers at this stratum or above are not used (1..16).</summary>
    public int? Ceiling { get; init; }

    /// <summary><c>cohort</c>: also serve clients at our own stratum (0 or 1).</summary>
    public bool? Cohort { get; init; }

    /// <summary><c>floor</c>: servers below this stratum are not used (0..15).</summary>
    public int? Floor { get; init; }

    /// <summary><c>maxclock</c>: most associations kept, pool ones included.</summary>
    public int? MaxClock { get; init; }

    /// <summary><c>maxdist</c>: selection threshold on root distance, in seconds.</summary>
    public double? MaxDistance { get; init; }

    /// <summary><c>minclock</c>: fewest survivors the cluster algorithm keeps.</summary>
    public int? MinClock { get; init; }

    /// <summary><c>mindist</c>: minimum distance used in selection, in seconds.</summary>
    public double? MinDistance { get; init; }

    /// <summary><c>minsane</c>: fewest truechimers needed to synchronize.</summary>
    public int? MinSane { get; init; }

    /// <summary><c>orphan</c>: stratum of orphan mode (1..16).</summary>
    public int? OrphanStratum { get; init; }

    /// <summary><c>orphanwait</c>: delay before entering orphan mode, in seconds.</summary>
    public int? OrphanWait { get; init; }

    /// <summary><c>bcpollbstep</c>: broadcast poll backoff steps tolerated (0..4).</summary>
    public int? BroadcastPollBackoffStep { get; init; }
}
