// IServerPathOwner: what a ServerDatagramPath asks of the loop that runs it. The path answers plain
// client requests itself; every other datagram goes to Route — on the main loop (DaemonHost) the
// Engine's OnDatagram, on an extra --server-threads loop (ServerLoop) the hand-over to the main
// loop. Count reports each pass over a socket for the loop's counters, and Trace (only when the
// path's TraceTimeRequests is on: ntpd -d) each client request's decision. Route and Count are
// called on the path's own thread; none of them may keep the spans they are given.
using Stratum.Core.Auth;
using Stratum.Engine.Server;
using Stratum.Platform.Net;

namespace Stratum.Platform.Hosting;

/// <summary>The loop a <see cref="ServerDatagramPath"/> runs in.</summary>
internal interface IServerPathOwner
{
    /// <summary>A datagram that is not a plain client request. Returns the length of a reply written
    /// into <paramref name="reply"/> to send to <paramref name="source"/> from the datagram's socket, or 0.</summary>
    /// <param name="stampTransmit">True when the path writes the reply's transmit timestamp just before sending.</param>
    /// <param name="macKey">Signs the reply after the stamp, or null.</param>
    /// <param name="transmitOffsetNanoseconds">Added to that stamp (a leap smear's offset), ns.</param>
    int Route(in ServerDatagram datagram, in NativeSocketAddress source, Span<byte> reply, out bool stampTransmit, out SymmetricKey? macKey,
        out long transmitOffsetNanoseconds);

    /// <summary>One pass over socket <paramref name="socketIndex"/> is done.</summary>
    void Count(int socketIndex, in ServerPathPass pass);

    /// <summary>The time server's decision for one client request (ntpd -d; allocates).</summary>
    void Trace(int length, in NativeSocketAddress source, ServerDecision decision)
    {
    }
}
