// RootDistance: the synchronization distance λ of RFC 5905 appendix A.5.5.2 (root_dist): half the total
// round-trip delay to the primary source, plus the root dispersion, the peer dispersion aged at PHI since the
// last update, and the peer jitter, with a floor. It bounds the correctness interval [θ−λ, θ+λ].
namespace Stratum.Engine.Selection;

/// <summary>RFC 5905 A.5.5.2 root_dist.</summary>
/// <remarks>RFC: λ = max(MINDISP, Δ + δ)/2 + E + ε + PHI·(now − p.t) + ψ with MINDISP = 0.01 s, PHI = 15e-6.
/// Deviation: like ntpd 4.2.8 we floor the whole sum at <c>tos mindist</c> (default 1 ms) instead of flooring
/// the delay term at 10 ms. With the RFC's floor every LAN source has λ ≥ 5 ms, so a server 5 ms off still
/// overlaps the others and is only clustered away as an outlier, never marked a falseticker (scenario S3, docs/simulation.md).</remarks>
public static class RootDistance
{
    /// <summary>RFC 5905 MINDISP, seconds (kept for reference and as the combine weight floor).</summary>
    public const double MinDispersion = 0.01;

    /// <summary>ntpd's default <c>tos mindist</c>: the floor of λ, seconds.</summary>
    public const double DefaultMinDistance = 0.001;

    /// <summary>PHI: frequency tolerance, s/s.</summary>
    public const double FrequencyTolerance = 15e-6;

    /// <summary>λ of <paramref name="candidate"/> at monotonic time <paramref name="now"/> (seconds).</summary>
    /// <param name="candidate">The association.</param>
    /// <param name="now">Monotonic seconds.</param>
    /// <param name="minDistance">The floor of λ (<c>tos mindist</c>), seconds.</param>
    /// <param name="frequencyTolerance">Growth rate of the dispersion since the last update: PHI, or the
    /// tighter bound of a disciplined clock (see Filter.ClockFilter.AgingRate).</param>
    public static double Of(in SelectionCandidate candidate, double now, double minDistance = DefaultMinDistance, double frequencyTolerance = FrequencyTolerance) =>
        Math.Max(
            minDistance,
            ((candidate.RootDelay + candidate.Delay) / 2)
            + candidate.RootDispersion
            + candidate.Dispersion
            + (frequencyTolerance * Math.Max(0, now - candidate.UpdateTime))
            + candidate.Jitter);
}
