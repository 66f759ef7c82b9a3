// SelectionCandidate: one association's snapshot as the system process of RFC 5905 §11.2 sees it (the peer
// variables p.offset, p.delay, p.disp, p.jitter, p.rootdelay, p.rootdisp, p.stratum, p.leap, p.t of
// appendix A.5.5) plus the ntp.conf flags that steer selection (prefer, noselect, true). Seconds throughout;
// UpdateTime is monotonic seconds of the peer's last clock-filter update.
using Stratum.Core.Wire;

namespace Stratum.Engine.Selection;

/// <summary>An association as a candidate for clock selection.</summary>
/// <remarks>RFC 5905 §11.2, A.5.5: p.offset θ, p.delay δ, p.disp ε, p.jitter ψ, p.rootdelay Δ, p.rootdisp E,
/// p.stratum, p.leap, p.t.</remarks>
/// <param name="Id">The caller's association id, returned in the result.</param>
/// <param name="Offset">θ, seconds (server minus local).</param>
/// <param name="Delay">δ, seconds.</param>
/// <param name="Dispersion">ε, seconds.</param>
/// <param name="Jitter">ψ, seconds.</param>
/// <param name="RootDelay">Δ of the server, seconds.</param>
/// <param name="RootDispersion">E of the server, seconds.</param>
/// <param name="Stratum">The server's stratum (16 = unsynchronized).</param>
/// <param name="Leap">The server's leap indicator.</param>
/// <param name="UpdateTime">Monotonic seconds from which ε keeps growing at PHI: pass
/// <see cref="Filter.ClockFilter.LastUpdateTime"/> (ε is aged up to it), not the chosen sample's time.</param>
/// <param name="Reachable">True when the reach register is non-zero.</param>
/// <param name="Prefer">ntp.conf <c>prefer</c>.</param>
/// <param name="NoSelect">ntp.conf <c>noselect</c>: never selected, shown only.</param>
/// <param name="AlwaysTrue">ntp.conf <c>true</c>: always survives intersection and clustering.</param>
public readonly record struct SelectionCandidate(
    int Id,
    double Offset,
    double Delay,
    double Dispersion,
    double Jitter,
    double RootDelay,
    double RootDispersion,
    int Stratum,
    LeapIndicator Leap,
    double UpdateTime,
    bool Reachable = true,
    bool Prefer = false,
    bool NoSelect = false,
    bool AlwaysTrue = false)
{
    /// <summary>ε of the valid samples only, for the intersection's correctness interval; NaN: use
    /// <see cref="Dispersion"/> (see ClockSelector).</summary>
    public double IntervalDispersion { get; init; } = double.NaN;

    /// <summary>With <c>tos orphan S</c>, for a candidate at stratum S: its address metric (the IPv4 address, or
    /// the first 32 bits of an IPv6 address's hash, as a number) when that is below ours toward it, which makes
    /// it eligible as orphan parent; null otherwise (ClockSelector).</summary>
    public uint? OrphanMetric { get; init; }

    /// <summary>A pulse-per-second clock: it takes part in the intersection but not in clustering, and becomes the
    /// system peer only beside a surviving prefer peer (ClockSelector).</summary>
    public bool IsPps { get; init; }
}
