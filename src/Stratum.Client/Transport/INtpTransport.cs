// INtpTransport: the datagram port the SNTP query engine talks through. It sends one datagram to an
// endpoint and waits, up to a timeout, for the next datagram from anywhere, stamping it with the
// local clock the moment the receive returns (the T4 of RFC 5905 §8). UdpNtpTransport is the real
// one; tests substitute an in-memory network that advances a fake clock instead of sleeping.
using System.Net;

namespace Stratum.Client.Transport;

/// <summary>Sends NTP requests and receives replies with a receive timestamp.</summary>
public interface INtpTransport : IDisposable
{
    /// <summary>Sends one datagram; a failure is returned, never thrown.</summary>
    TransportError Send(ReadOnlySpan<byte> datagram, IPEndPoint destination);

    /// <summary>
    /// Waits at most <paramref name="timeoutNanoseconds"/> for one datagram and copies it into
    /// <paramref name="buffer"/>. Returns false when the time ran out first.
    /// </summary>
    bool TryReceive(Span<byte> buffer, long timeoutNanoseconds, out ReceivedDatagram datagram);
}
