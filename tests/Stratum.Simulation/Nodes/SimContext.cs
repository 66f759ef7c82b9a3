// SimContext: what a node program may touch: its clock driver, its address, its own seeded random
// stream (master seed + node index, docs/simulation.md "Random numbers and determinism") and a send function that
// hands datagrams to the simulated network at the present true time. True time itself is not here:
// programs see only their own clock.
using System.Net;
using Stratum.Core.Time;
using Stratum.Engine;
using Stratum.Simulation.Clock;
using Stratum.Simulation.Network;
using Stratum.Simulation.Randomness;

namespace Stratum.Simulation.Nodes;

/// <summary>The world as one node program sees it.</summary>
public sealed class SimContext
{
    /// <summary>The NTP port every node listens on.</summary>
    public const int NtpPort = 123;

    private readonly SimulationTime _trueTime;
    private readonly SimulatedNetwork _network;

    public SimContext(int nodeIndex, SimulatedClockDriver clock, SimulationRandom random, SimulationTime trueTime, SimulatedNetwork network)
    {
        NodeIndex = nodeIndex;
        Clock = clock;
        Random = random;
        _trueTime = trueTime;
        _network = network;
        LocalAddress = SimulatedNetwork.AddressOf(nodeIndex);
    }

    public int NodeIndex { get; }

    public IPAddress LocalAddress { get; }

    /// <summary>The node's clock: the only time source of the program.</summary>
    public SimulatedClockDriver Clock { get; }

    /// <summary>The node's own deterministic stream.</summary>
    public SimulationRandom Random { get; }

    /// <summary>Now on both of the node's clocks, as the Engine takes it.</summary>
    public LoopTime Now => new(Clock.ReadMonotonicNanoseconds(), NtpTimestamp.FromUnixNanoseconds(Clock.ReadRealtimeNanoseconds()));

    /// <summary>Sends a UDP datagram from <paramref name="sourcePort"/>; false when the network lost it.</summary>
    public bool Send(IPEndPoint destination, ReadOnlySpan<byte> datagram, int sourcePort = NtpPort) =>
        _network.Send(NodeIndex, new IPEndPoint(LocalAddress, sourcePort), destination, datagram, _trueTime.Now);
}
