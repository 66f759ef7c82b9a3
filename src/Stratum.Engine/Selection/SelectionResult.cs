// SelectionResult: the output of one pass of RFC 5905 §11.2 (clock_select, clock_cluster, clock_combine):
// survivors in merit order, the rejected with their reasons, the system peer, the combined offset and
// jitter, and the leap indicator voted by the majority of truechimers. A snapshot; the caller owns it.
using Stratum.Core.Wire;

namespace Stratum.Engine.Selection;

/// <summary>The result of clock selection.</summary>
/// <param name="Survivors">Survivors of clustering, best merit first.</param>
/// <param name="Truechimers">Ids that passed the intersection (survivors and outliers), merit order.</param>
/// <param name="Rejected">Everyone else, with the reason.</param>
/// <param name="SystemPeerId">The system peer, or null when unsynchronized.</param>
/// <param name="Offset">Combined system offset Θ, seconds (0 when no system peer).</param>
/// <param name="SelectionJitter">ϑ_s, seconds.</param>
/// <param name="Jitter">System jitter ϑ = sqrt(ψ_p² + ϑ_s²), seconds.</param>
/// <param name="Leap">Leap indicator voted by more than half of the truechimers; Unsynchronized when none.</param>
public sealed record SelectionResult(
    IReadOnlyList<SelectionCandidate> Survivors,
    IReadOnlyList<int> Truechimers,
    IReadOnlyList<RejectedCandidate> Rejected,
    int? SystemPeerId,
    double Offset,
    double SelectionJitter,
    double Jitter,
    LeapIndicator Leap)
{
    /// <summary>Why <see cref="SystemPeerId"/> is the one chosen.</summary>
    public SystemPeerChoice Choice { get; init; }

    /// <summary>With <see cref="SystemPeerChoice.Pps"/>: the prefer peer beside the PPS clock (ntpq shows it as `*`,
    /// the PPS as `o`).</summary>
    public int? PpsCompanionId { get; init; }

    /// <summary>True when a system peer was chosen.</summary>
    public bool IsSynchronized => SystemPeerId is not null;

    /// <summary>The rejection reason of <paramref name="id"/>, or null when it survived.</summary>
    public RejectionReason? ReasonFor(int id)
    {
        foreach (RejectedCandidate rejected in Rejected)
        {
            if (rejected.Id == id)
            {
                return rejected.Reason;
            }
        }

        return null;
    }
}
