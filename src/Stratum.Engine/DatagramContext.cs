// DatagramContext: one received datagram as NtpEngine.OnDatagram takes it (ARCHITECTURE.md §3): the
// kind of socket it came in on (and, for an association socket, whose), its source address and port,
// when it arrived, the loop's time, the bytes, and where the pending slew (with its uncertainty) is read.
// Building it allocates nothing (a ref struct over the host's receive buffer), so the server path
// stays allocation-free.
using Stratum.Core.Time;
using Stratum.Engine.Access;

namespace Stratum.Engine;

/// <summary>A datagram handed to the Engine, valid for the duration of the call.</summary>
public readonly ref struct DatagramContext
{
    /// <param name="socket">The kind of socket it arrived on.</param>
    /// <param name="associationId">For an association socket, its association; 0 for a server socket.</param>
    /// <param name="source">Source address and port.</param>
    /// <param name="receiveTime">T2 (request) or T4 (reply) on the disciplined clock: the kernel
    /// receive stamp, or a clock reading right after the wake-up when the kernel gave none.</param>
    /// <param name="now">The loop's time for this datagram: on a server socket the monotonic reading
    /// after receiving and <paramref name="receiveTime"/>; on an association socket a reading taken
    /// just before the call.</param>
    /// <param name="data">The datagram (at most the receive buffer's length).</param>
    /// <param name="pendingSlew">The clock's pending slew, read only when a sample is processed; null reads
    /// as 0.</param>
    public DatagramContext(SocketKind socket, int associationId, in ClientAddress source, NtpTimestamp receiveTime, LoopTime now,
        ReadOnlySpan<byte> data, IPendingSlewSource? pendingSlew = null)
    {
        Socket = socket;
        AssociationId = associationId;
        Source = source;
        ReceiveTime = receiveTime;
        Now = now;
        Data = data;
        PendingSlew = pendingSlew;
    }

    public SocketKind Socket { get; }

    public int AssociationId { get; }

    public ClientAddress Source { get; }

    public NtpTimestamp ReceiveTime { get; }

    public LoopTime Now { get; }

    public ReadOnlySpan<byte> Data { get; }

    public IPendingSlewSource? PendingSlew { get; }

    /// <summary>A datagram on a listening socket, received at <paramref name="receiveTime"/> with the
    /// monotonic clock at <paramref name="receiveMono"/>.</summary>
    public static DatagramContext ForServer(in ClientAddress source, NtpTimestamp receiveTime, long receiveMono, ReadOnlySpan<byte> data,
        IPendingSlewSource? pendingSlew = null) =>
        new(SocketKind.Server, 0, source, receiveTime, new LoopTime(receiveMono, receiveTime), data, pendingSlew);

    /// <summary>A datagram on a multicast group or broadcast address socket.</summary>
    public static DatagramContext ForGroup(in ClientAddress source, NtpTimestamp receiveTime, LoopTime now, ReadOnlySpan<byte> data,
        IPendingSlewSource? pendingSlew = null) =>
        new(SocketKind.Group, 0, source, receiveTime, now, data, pendingSlew);

    /// <summary>A datagram on association <paramref name="associationId"/>'s socket.</summary>
    public static DatagramContext ForAssociation(int associationId, in ClientAddress source, NtpTimestamp receiveTime, LoopTime now,
        ReadOnlySpan<byte> data, IPendingSlewSource? pendingSlew = null) =>
        new(SocketKind.Association, associationId, source, receiveTime, now, data, pendingSlew);
}
