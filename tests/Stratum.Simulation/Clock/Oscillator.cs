// Oscillator: a node's crystal, docs/simulation.md "Oscillator". At every model tick
// f_raw = 1 + offset + Σ σ·N(0,1): a constant frequency offset plus a random walk in frequency
// (random-walk FM), so after t seconds the wander has a standard deviation of σ√t. σ is given per
// √s and scaled here by 1/√R for a tick rate R, as chrony's tests do, so the wander does not depend
// on R. The optional per-tick phase-step expression of the reference model is not modelled.
using Stratum.Simulation.Randomness;

namespace Stratum.Simulation.Clock;

/// <summary>A free-running oscillator with constant offset and random-walk frequency wander.</summary>
public sealed class Oscillator
{
    private readonly SimulationRandom? _random;
    private readonly double _wanderPerTick;
    private double _wander;

    /// <param name="frequencyOffset">Constant frequency error in s/s (1e-4 = +100 ppm).</param>
    /// <param name="wanderSigma">Random-walk σ per √s (1e-9 is the standard wander); 0: none.</param>
    /// <param name="tickRate">Model ticks per second (R).</param>
    /// <param name="random">This oscillator's own stream; needed when <paramref name="wanderSigma"/> is not 0.</param>
    public Oscillator(double frequencyOffset, double wanderSigma = 0, double tickRate = 1, SimulationRandom? random = null)
    {
        if (wanderSigma != 0 && random is null)
        {
            throw new ArgumentException("a wandering oscillator needs a random stream", nameof(random));
        }

        FrequencyOffset = frequencyOffset;
        _wanderPerTick = wanderSigma / Math.Sqrt(tickRate);
        _random = random;
    }

    /// <summary>The constant part of the frequency error (s/s).</summary>
    public double FrequencyOffset { get; }

    /// <summary>The accumulated random walk (s/s).</summary>
    public double Wander => _wander;

    /// <summary>f_raw − 1: the oscillator's present frequency error (s/s).</summary>
    public double FrequencyError => FrequencyOffset + _wander;

    /// <summary>f_raw: the oscillator's rate relative to true time.</summary>
    public double RawRate => 1 + FrequencyOffset + _wander;

    /// <summary>Adds one tick's normal draw to the wander.</summary>
    public void Tick()
    {
        if (_random is not null && _wanderPerTick != 0)
        {
            _wander += _wanderPerTick * _random.Normal();
        }
    }
}
