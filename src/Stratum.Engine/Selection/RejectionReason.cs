// RejectionReason: why a candidate of RFC 5905 §11.2 did not survive, in the order of ntpd's tally codes
// (space = reject, x = falseticker, . = excess, - = outlier).
namespace Stratum.Engine.Selection;

/// <summary>Why a candidate is not a survivor.</summary>
public enum RejectionReason
{
    /// <summary>ntp.conf <c>noselect</c>.</summary>
    NoSelect = 0,

    /// <summary>Reach register empty (A.5.5.3 fit: unreachable).</summary>
    Unreachable = 1,

    /// <summary>Stratum 16 or above, or leap indicator 3 (A.5.5.3 fit).</summary>
    Unsynchronized = 2,

    /// <summary>Root distance above maxdist (A.5.5.3 fit).</summary>
    Distance = 3,

    /// <summary>The correctness interval misses the majority intersection (§11.2.1; tally 'x').</summary>
    Falseticker = 4,

    /// <summary>Beyond maxclock after sorting by merit (tally '.').</summary>
    Excess = 5,

    /// <summary>Pruned by the cluster algorithm (§11.2.2; tally '-').</summary>
    Outlier = 6,

    /// <summary>No majority agreed, or fewer truechimers than minsane: nobody is selected.</summary>
    NoMajority = 7,

    /// <summary>A timing loop: the source (stratum above 1) is synchronized to one of our own addresses
    /// (its refid), as ntpd's fit() rejects it.</summary>
    Loop = 8,
}
