// SystemPeerChoice: why selection (RFC 5905 §11.2.3, ntpd's clock_select) named the system peer it did,
// so that an operator can see why it changed (ntpq -c "rv 0 peer_reason").
namespace Stratum.Engine.Selection;

/// <summary>Why the system peer is the one it is.</summary>
public enum SystemPeerChoice
{
    /// <summary>No system peer.</summary>
    None = 0,

    /// <summary>The prefer peer survived.</summary>
    Prefer = 1,

    /// <summary>The system peer survived and is not clearly worse than the best: kept (anti-clockhop).</summary>
    Kept = 2,

    /// <summary>No system peer before: the survivor of best merit.</summary>
    First = 3,

    /// <summary>The previous system peer did not survive: the survivor of best merit.</summary>
    PreviousRejected = 4,

    /// <summary>The previous system peer survived but a survivor of lower stratum appeared.</summary>
    LowerStratum = 5,

    /// <summary>The previous system peer survived but its root distance grew beyond twice the best's
    /// (plus tos mindist).</summary>
    CloserSource = 6,

    /// <summary>No source below the orphan stratum survived: the orphan peer of lowest address metric
    /// (below ours) was elected orphan parent.</summary>
    OrphanParent = 7,

    /// <summary>A PPS clock survived the intersection beside a prefer peer, with the combined offset within
    /// 0.4 s: the pulses discipline the clock, the prefer peer numbers the seconds.</summary>
    Pps = 8,
}
