// ServerDatagram: one datagram a ServerDatagramPath hands to its owner because it is not a plain
// client request (IServerPathOwner.Route): the socket and its index among the loop's server sockets,
// the bytes, and when it arrived. A ref struct over the receive slot (or the hand-over ring's slot),
// so handing it on allocates nothing; valid only for the duration of the call.
using Stratum.Platform.Net;

namespace Stratum.Platform.Hosting;

/// <summary>One datagram the server path does not answer itself, valid for the duration of the call.</summary>
/// <param name="socket">The server socket it came in on.</param>
/// <param name="socketIndex">That socket's index among the loop's server sockets (the same in every loop).</param>
/// <param name="data">Its bytes (at most the receive slot).</param>
/// <param name="length">Its length as received (slot size + 1 when truncated).</param>
/// <param name="receiveReal">Receive time, Unix ns on the disciplined clock.</param>
/// <param name="receiveMono">The monotonic clock when its batch was received.</param>
internal readonly ref struct ServerDatagram(UdpSocket socket, int socketIndex, ReadOnlySpan<byte> data, int length, long receiveReal, long receiveMono)
{
    public UdpSocket Socket { get; } = socket;

    public int SocketIndex { get; } = socketIndex;

    public ReadOnlySpan<byte> Data { get; } = data;

    public int Length { get; } = length;

    public long ReceiveReal { get; } = receiveReal;

    public long ReceiveMono { get; } = receiveMono;
}
