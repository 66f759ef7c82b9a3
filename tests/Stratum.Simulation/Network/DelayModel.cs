// DelayModel: one direction's delay expression of docs/simulation.md "Network", evaluated per packet at
// send time: base + scale × Exp(1) + a uniform jitter in [0, uniform), or a drop with the loss
// probability (a delay ≤ 0 also drops). S1 is Exponential(1e-4, 1e-4). Asymmetry is simply a
// different model per direction. Limits: no dependence on true time, port, length or subnet.
using Stratum.Simulation.Randomness;

namespace Stratum.Simulation.Network;

/// <summary>A per-direction one-way delay distribution, seconds.</summary>
/// <param name="BaseSeconds">The fixed floor.</param>
/// <param name="ExponentialScaleSeconds">Mean of the exponential queueing delay added to the floor.</param>
/// <param name="UniformJitterSeconds">Width of a uniform jitter added on top.</param>
/// <param name="LossProbability">Chance that a packet is dropped.</param>
public sealed record DelayModel(
    double BaseSeconds,
    double ExponentialScaleSeconds = 0,
    double UniformJitterSeconds = 0,
    double LossProbability = 0)
{
    /// <summary>S1's LAN: 100 µs floor plus exponential jitter with mean 100 µs.</summary>
    public static DelayModel Lan { get; } = new(1e-4, 1e-4);

    /// <summary>The mean delay of a delivered packet.</summary>
    public double MeanSeconds => BaseSeconds + ExponentialScaleSeconds + (UniformJitterSeconds / 2);

    /// <summary>One draw: the delay in seconds, or a value ≤ 0 when the packet is lost.</summary>
    public double Sample(SimulationRandom random)
    {
        if (LossProbability > 0 && random.Uniform() < LossProbability)
        {
            return -1;
        }

        double delay = BaseSeconds;
        if (ExponentialScaleSeconds != 0)
        {
            delay += ExponentialScaleSeconds * random.Exponential();
        }

        if (UniformJitterSeconds != 0)
        {
            delay += UniformJitterSeconds * random.Uniform();
        }

        return delay;
    }
}
