// CombineAlgorithm: RFC 5905 §11.2.3 (A.5.5.5 clock_combine). The system offset is the average of the
// survivors' offsets weighted by 1/λ (root distance); the selection jitter is the 1/λ-weighted RMS of their
// offsets about the system peer's offset; the system jitter adds the system peer's own jitter in quadrature
// (ϑ = sqrt(ψ_p² + ϑ_s²), §11.2.3 / A.5.5.4 clock_update).
namespace Stratum.Engine.Selection;

/// <summary>RFC 5905 §11.2.3 combine algorithm.</summary>
/// <remarks>A.5.5.5: x = root_dist, y += 1/x, z += θ/x, w += (θ − θ_0)²/x; s.offset = z/y, s.jitter = sqrt(w/y).</remarks>
public static class CombineAlgorithm
{
    /// <summary>Combines survivors; <paramref name="distances"/>[i] is λ of <paramref name="survivors"/>[i].</summary>
    public static CombinedOffset Combine(IReadOnlyList<SelectionCandidate> survivors, IReadOnlyList<double> distances, int systemPeerIndex)
    {
        ArgumentNullException.ThrowIfNull(survivors);
        ArgumentNullException.ThrowIfNull(distances);
        ArgumentOutOfRangeException.ThrowIfNegative(systemPeerIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(systemPeerIndex, survivors.Count);

        double peerOffset = survivors[systemPeerIndex].Offset;
        double y = 0;
        double z = 0;
        double w = 0;
        for (int i = 0; i < survivors.Count; i++)
        {
            double x = Math.Max(distances[i], 1e-9);
            y += 1 / x;
            z += survivors[i].Offset / x;
            double difference = survivors[i].Offset - peerOffset;
            w += difference * difference / x;
        }

        double selectionJitter = Math.Sqrt(w / y);
        double peerJitter = survivors[systemPeerIndex].Jitter;
        return new CombinedOffset(z / y, selectionJitter, Math.Sqrt((peerJitter * peerJitter) + (selectionJitter * selectionJitter)));
    }
}
