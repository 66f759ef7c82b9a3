// TestClockModel: a tiny deterministic clock for closed-loop discipline tests (not the simulator): true time,
// an oscillator with a constant frequency error, and the discipline's step, slew (applied at once) and
// frequency corrections.
using Stratum.Engine.Discipline;

namespace Stratum.Engine.Tests.Discipline;

internal sealed class TestClockModel
{
    public TestClockModel(double initialOffset, double oscillatorError)
    {
        // Local clock = true time − initialOffset, so the measured offset (true − local) starts at initialOffset.
        Local = -initialOffset;
        OscillatorError = oscillatorError;
    }

    public double True { get; private set; }

    public double Local { get; private set; }

    public double OscillatorError { get; set; }

    public double Frequency { get; private set; }

    /// <summary>True minus local: what a perfect server would measure as our offset.</summary>
    public double Offset => True - Local;

    public void Advance(double seconds)
    {
        True += seconds;
        Local += seconds * (1 + OscillatorError) * (1 + Frequency);
    }

    /// <summary>Local clock reading after <paramref name="trueSeconds"/> more true seconds, without advancing.</summary>
    public double LocalAfter(double trueSeconds) => Local + (trueSeconds * (1 + OscillatorError) * (1 + Frequency));

    public void Apply(in DisciplineOutcome outcome)
    {
        if (outcome.Result == DisciplineResult.Step)
        {
            Local += outcome.Step;
        }

        if (outcome.Result == DisciplineResult.Slew)
        {
            Local += outcome.Slew;
            Frequency = outcome.Frequency;
        }
    }
}
