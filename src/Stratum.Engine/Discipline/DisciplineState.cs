// DisciplineState: the clock state machine of RFC 5905 §11.3 / appendix A.5.5.6 (local_clock), with the
// RFC's names: NSET (never set), FSET (frequency set from the drift file), SPIK (spike: a big offset not yet
// confirmed), FREQ (measuring the frequency), SYNC (normal operation).
namespace Stratum.Engine.Discipline;

/// <summary>RFC 5905 A.5.5.6 clock discipline states (ntpd's loopstats "state" numbering).</summary>
public enum DisciplineState
{
    /// <summary>NSET: no offset seen and no frequency known.</summary>
    NeverSet = 0,

    /// <summary>FSET: no offset seen; frequency from the drift file.</summary>
    FrequencySet = 1,

    /// <summary>SPIK: an offset above the step threshold was seen; waiting for stepout to confirm it.</summary>
    Spike = 2,

    /// <summary>FREQ: the phase is set, the frequency is still being measured.</summary>
    Frequency = 3,

    /// <summary>SYNC: phase and frequency disciplined.</summary>
    Synchronized = 4,
}
