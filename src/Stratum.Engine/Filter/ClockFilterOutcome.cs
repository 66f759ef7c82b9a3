// ClockFilterOutcome: whether a clock-filter update of RFC 5905 §10 yields a sample the discipline may use
// (A.5.2: a sample is used at most once, never one older than the last used).
namespace Stratum.Engine.Filter;

/// <summary>Why a clock-filter update has or has not produced a sample for the discipline.</summary>
public enum ClockFilterOutcome
{
    /// <summary>The chosen sample is newer than the last one used: use it (clock_select, then local_clock).</summary>
    NewSample = 0,

    /// <summary>The least-delay sample was already used or is older than it (RFC 5905 A.5.2 time ordering).</summary>
    StaleSample = 1,

    /// <summary>No sample in the register has a dispersion below MAXDISP.</summary>
    NoValidSample = 2,

    /// <summary>The popcorn-spike suppressor (optional, ntpd's CLOCK_SGATE) rejected the sample.</summary>
    PopcornSpike = 3,
}
