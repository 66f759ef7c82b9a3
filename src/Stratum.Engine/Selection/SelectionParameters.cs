// SelectionParameters: the `tos` knobs that steer RFC 5905 §11.2 (minsane, minclock, maxclock, maxdist,
// mindist) with ntpd 4.2.8's defaults, and the orphan stratum (ClockSelector elects the orphan parent).
namespace Stratum.Engine.Selection;

/// <summary>ntp.conf <c>tos minsane minclock maxclock maxdist</c>.</summary>
/// <remarks>RFC 5905 A.1.1 NMIN (minclock), NSANE (minsane), MAXDIST; ntpd's sys_maxclock.</remarks>
/// <param name="MinSane">Fewest truechimers needed to synchronize (<c>tos minsane</c>, default 1).</param>
/// <param name="MinClock">Clustering stops at this many survivors (<c>tos minclock</c>, default 3).</param>
/// <param name="MaxClock">At most this many candidates enter clustering (<c>tos maxclock</c>, default 10).</param>
/// <param name="MaxDistance">A root distance above this makes a candidate unfit (<c>tos maxdist</c>, 1.5 s).</param>
/// <param name="MinDistance">The floor of every root distance (<c>tos mindist</c>, 1 ms).</param>
public sealed record SelectionParameters(
    int MinSane = 1,
    int MinClock = 3,
    int MaxClock = 10,
    double MaxDistance = 1.5,
    double MinDistance = RootDistance.DefaultMinDistance)
{
    /// <summary><c>tos orphan S</c>: sources at stratum S or above are not selected (orphans do not sync to
    /// each other) except the elected orphan parent; 16 (no limit) without orphan mode.</summary>
    public int OrphanStratum { get; init; } = 16;

    /// <summary>ntpd's defaults.</summary>
    public static SelectionParameters Default { get; } = new();
}
