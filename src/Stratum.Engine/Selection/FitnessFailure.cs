// FitnessFailure: every condition of the fitness test (RFC 5905 A.5.5.3 fit, ntpd's peer_unfit) that
// one association fails, not only the first: selection rejects on the first (RejectionReason), while
// the `flash` peer variable shows them all (TEST10..TEST13). Loop is found by the caller, which knows
// our own refids (SourceManager), not by ClockSelector.
namespace Stratum.Engine.Selection;

/// <summary>Failed fitness conditions of one candidate.</summary>
[Flags]
public enum FitnessFailure : byte
{
    None = 0,

    /// <summary>ntp.conf <c>noselect</c>.</summary>
    NoSelect = 0x01,

    /// <summary>Reach register empty.</summary>
    Unreachable = 0x02,

    /// <summary>Leap indicator 3, stratum 16 or above, or at or above the orphan stratum.</summary>
    Unsynchronized = 0x04,

    /// <summary>Root distance above maxdist + PHI·2^poll.</summary>
    Distance = 0x08,

    /// <summary>Synchronized to one of our own addresses (a timing loop).</summary>
    Loop = 0x10,
}
