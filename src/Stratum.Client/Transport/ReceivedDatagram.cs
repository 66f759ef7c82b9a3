// ReceivedDatagram: one datagram taken off a transport, with who sent it and the local realtime
// clock read right after the receive call returned (RFC 5905 §8 destination timestamp T4).
using System.Net;

namespace Stratum.Client.Transport;

/// <summary>A received datagram: its length in the caller's buffer, its source and its T4.</summary>
public readonly record struct ReceivedDatagram(int Length, IPEndPoint Source, long ReceiveRealtimeNanoseconds);
