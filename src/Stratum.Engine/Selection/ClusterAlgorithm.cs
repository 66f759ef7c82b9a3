// ClusterAlgorithm: RFC 5905 §11.2.2 (A.5.5.1, second half). Given the truechimers sorted by merit, it
// repeatedly computes each survivor's selection jitter φ_s,i = sqrt(Σ_j (θ_j − θ_i)² / (n − 1)), and prunes
// the one with the largest φ_s while more than minclock survive and that largest selection jitter exceeds
// the smallest peer jitter ψ. A `true` candidate is never pruned (ntpd), nor the current system peer when
// the caller names it. Pure; works in place on a list.
namespace Stratum.Engine.Selection;

/// <summary>RFC 5905 §11.2.2 cluster algorithm.</summary>
/// <remarks>A.5.5.1: s.v[i].metric, max (largest selection jitter), min (smallest peer jitter), NMIN.</remarks>
public static class ClusterAlgorithm
{
    /// <summary>Prunes <paramref name="survivors"/> in place; pruned ones are appended to <paramref name="pruned"/>.</summary>
    /// <returns>The selection jitter of the final set (the largest φ_s,i when the loop stopped).</returns>
    /// <param name="survivors">The truechimers in merit order.</param>
    /// <param name="minClock">tos minclock: never prune below this many.</param>
    /// <param name="pruned">Receives the pruned ones.</param>
    /// <param name="keepId">The current system peer, or null.</param>
    /// <remarks>Deviation: ntpd may prune its own system peer as the outlier of the moment; among equal
    /// servers whose offsets cross, that makes the system peer hop every few polls, each hop moving the
    /// clock by their disagreement. Here the outlier pruned is the worst of the others; the system peer
    /// goes only when selection rejects it (falseticker, unfit) or a clearly better source appears.</remarks>
    public static double Prune(List<SelectionCandidate> survivors, int minClock, List<SelectionCandidate> pruned, int? keepId = null)
    {
        ArgumentNullException.ThrowIfNull(survivors);
        ArgumentNullException.ThrowIfNull(pruned);
        double maxSelectionJitter = 0;
        while (survivors.Count > 1)
        {
            int n = survivors.Count;
            maxSelectionJitter = -1;
            int worst = -1;
            double minPeerJitter = double.PositiveInfinity;
            for (int i = 0; i < n; i++)
            {
                double sum = 0;
                for (int j = 0; j < n; j++)
                {
                    double difference = survivors[j].Offset - survivors[i].Offset;
                    sum += difference * difference;
                }

                double selectionJitter = Math.Sqrt(sum / (n - 1));
                minPeerJitter = Math.Min(minPeerJitter, survivors[i].Jitter);

                // Ties prune the later (worse merit) candidate; a `true` candidate is immune.
                if (!survivors[i].AlwaysTrue && survivors[i].Id != keepId && selectionJitter >= maxSelectionJitter)
                {
                    maxSelectionJitter = selectionJitter;
                    worst = i;
                }
            }

            if (worst < 0 || n <= minClock || maxSelectionJitter <= minPeerJitter)
            {
                return Math.Max(0, maxSelectionJitter);
            }

            pruned.Add(survivors[worst]);
            survivors.RemoveAt(worst);
        }

        return 0;
    }
}
