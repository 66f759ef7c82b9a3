// SelectionCandidate and SelectionVerdict: what server selection needs to know about one server
// after filtering, and why it kept or dropped it. The verdict names follow ntpdate's debug lines
// ("Server dropped: strata too high", ...), which the ntpdate tool prints under -d.
using Stratum.Core.Time;
using Stratum.Core.Wire;

namespace Stratum.Client.Sntp;

/// <summary>One server as selection sees it: its last reply's header fields and its filter result.</summary>
/// <param name="Stratum">Stratum of the last accepted reply; 0 when none was accepted, 16 after a kiss.</param>
/// <param name="Leap">Leap indicator of the last accepted reply.</param>
/// <param name="Precision">The server's precision exponent (log2 s).</param>
/// <param name="Filter">The filtered offset, delay and dispersion.</param>
/// <param name="TransmitTime">T3 of the last accepted reply.</param>
/// <param name="ReferenceTime">The server's reference timestamp from that reply.</param>
public readonly record struct SelectionCandidate(
    byte Stratum,
    LeapIndicator Leap,
    sbyte Precision,
    FilterResult Filter,
    NtpTimestamp TransmitTime,
    NtpTimestamp ReferenceTime);

/// <summary>Why a server was or was not chosen.</summary>
public enum SelectionVerdict
{
    /// <summary>The best server.</summary>
    Chosen = 0,
    /// <summary>Passed every check but another server was better.</summary>
    Candidate,
    /// <summary>No reply was accepted, or no sample was usable.</summary>
    NoData,
    /// <summary>Stratum above 15 (unsynchronized, or a kiss code).</summary>
    StratumTooHigh,
    /// <summary>Budgeted delay above 8 s.</summary>
    TooFarAway,
    /// <summary>Leap indicator 3: the server says its clock is not synchronized.</summary>
    LeapNotInSync,
    /// <summary>Its transmit time precedes its reference time.</summary>
    VeryBroken,
    /// <summary>Its reference time is a day or more older than its transmit time.</summary>
    TooLongWithoutSync,
    /// <summary>Outside the five best, or beyond the two best strata.</summary>
    NotInBestList,
    /// <summary>Its offset disagreed with the others (falseticker).</summary>
    Falseticker,
}
