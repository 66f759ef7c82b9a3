// DisciplineResult: the return codes of RFC 5905 A.5.5.6 local_clock (IGNORE, SLEW, STEP, PANIC).
namespace Stratum.Engine.Discipline;

/// <summary>RFC 5905 A.5.5.6 local_clock return codes.</summary>
public enum DisciplineResult
{
    /// <summary>IGNORE: nothing to do (spike held, sample too old, or gated as an outlier).</summary>
    Ignore = 0,

    /// <summary>SLEW: apply <see cref="DisciplineOutcome.Slew"/> and <see cref="DisciplineOutcome.Frequency"/>.</summary>
    Slew = 1,

    /// <summary>STEP: step the clock by <see cref="DisciplineOutcome.Step"/>; the caller resets every clock filter.</summary>
    Step = 2,

    /// <summary>PANIC: the offset exceeds the panic threshold; ntpd logs and exits.</summary>
    Panic = 3,
}
