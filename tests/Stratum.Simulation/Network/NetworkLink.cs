// NetworkLink: one direction A→B with its delay model and its own random stream, seeded from the
// master stream when the link is configured (docs/simulation.md "Random numbers and determinism"), so traffic on one
// link never shifts another link's draws. Counts what it carried and dropped.
using Stratum.Simulation.Randomness;

namespace Stratum.Simulation.Network;

/// <summary>A directed link between two nodes.</summary>
public sealed class NetworkLink
{
    private readonly SimulationRandom _random;

    public NetworkLink(int fromNode, int toNode, DelayModel delay, SimulationRandom random)
    {
        FromNode = fromNode;
        ToNode = toNode;
        Delay = delay;
        _random = random;
    }

    public int FromNode { get; }

    public int ToNode { get; }

    public DelayModel Delay { get; }

    public long Sent { get; private set; }

    public long Dropped { get; private set; }

    /// <summary>Draws this packet's delay; null when it is dropped.</summary>
    public double? NextDelay()
    {
        Sent++;
        double delay = Delay.Sample(_random);
        if (delay <= 0)
        {
            Dropped++;
            return null;
        }

        return delay;
    }
}
