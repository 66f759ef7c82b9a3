// ISimulatedClient: the program running on a simulated node, shaped like the Engine contract
// (ARCHITECTURE.md §3) so a daemon's Engine is plugged in by a thin adapter (EngineClient): Start, then
// OnDatagram for each delivered packet (with the port it was sent to) and OnTimer when NextDeadline
// (CLOCK_MONOTONIC ns of the node's own clock) is reached. Time comes only from context.Clock (the node's
// SimulatedClockDriver); packets leave through context.Send. Code runs in zero true time. The
// reference server implements it too: any node program does.
using System.Net;

namespace Stratum.Simulation.Nodes;

/// <summary>A program driven by the simulator on one node.</summary>
public interface ISimulatedClient
{
    /// <summary>Monotonic nanoseconds of the next wanted OnTimer, or long.MaxValue for none.</summary>
    long NextDeadline { get; }

    /// <summary>Called once at true time 0, before anything else.</summary>
    void Start(SimContext context);

    /// <summary>A datagram from <paramref name="source"/> has arrived at <paramref name="destination"/> (this
    /// node's address and the port it was sent to, which tells the program's sockets apart);
    /// <paramref name="receiveRealtimeNanoseconds"/> is the kernel receive stamp on this node's clock.</summary>
    void OnDatagram(SimContext context, ReadOnlySpan<byte> datagram, IPEndPoint source, IPEndPoint destination, long receiveRealtimeNanoseconds);

    /// <summary>The node's monotonic clock has reached <see cref="NextDeadline"/>.</summary>
    void OnTimer(SimContext context);
}
