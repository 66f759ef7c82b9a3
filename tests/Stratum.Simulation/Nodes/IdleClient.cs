// IdleClient: a node program that does nothing, for nodes whose clock alone is under test
// (oscillator, kernel model, leap seconds) or that are driven only by scheduled scenario actions.
using System.Net;

namespace Stratum.Simulation.Nodes;

/// <summary>A program with no timers that ignores every datagram.</summary>
public sealed class IdleClient : ISimulatedClient
{
    public long NextDeadline => long.MaxValue;

    public void Start(SimContext context)
    {
    }

    public void OnDatagram(SimContext context, ReadOnlySpan<byte> datagram, IPEndPoint source, IPEndPoint destination, long receiveRealtimeNanoseconds)
    {
    }

    public void OnTimer(SimContext context)
    {
    }
}
