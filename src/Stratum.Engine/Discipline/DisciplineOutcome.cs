// DisciplineOutcome: what one clock-discipline update asks the clock driver to do (RFC 5905 A.5.5.6 return
// codes IGNORE, SLEW, STEP, PANIC) and the amounts: a step, a phase correction to slew, and the frequency to
// set. The driver applies them in that order: StepClock(Step), SetFrequency(Frequency), SlewClock(Slew).
namespace Stratum.Engine.Discipline;

/// <summary>The driver actions of one discipline update.</summary>
/// <param name="Result">What happened.</param>
/// <param name="Step">Seconds to step the clock by (STEP only), positive = forward.</param>
/// <param name="Slew">Phase correction to slew, seconds, positive = advance the clock.</param>
/// <param name="Frequency">Absolute frequency correction to set, s/s (positive = run faster).</param>
/// <param name="FrequencyChanged">True when <see cref="Frequency"/> differs from the last one set.</param>
/// <param name="PollExponent">The recommended system poll exponent (A.5.5.7).</param>
public readonly record struct DisciplineOutcome(
    DisciplineResult Result,
    double Step,
    double Slew,
    double Frequency,
    bool FrequencyChanged,
    int PollExponent);
