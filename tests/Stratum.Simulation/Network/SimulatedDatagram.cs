// SimulatedDatagram: a UDP datagram in flight in the simulated network, with its true arrival time.
using System.Net;

namespace Stratum.Simulation.Network;

/// <summary>A datagram queued for delivery.</summary>
public sealed record SimulatedDatagram(
    int FromNode,
    int ToNode,
    IPEndPoint Source,
    IPEndPoint Destination,
    byte[] Payload,
    double SendTime,
    double ArrivalTime);
