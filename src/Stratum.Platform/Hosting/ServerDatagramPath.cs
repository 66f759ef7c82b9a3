// ServerDatagramPath: the one server datagram path of ntpd (ARCHITECTURE.md §4), run by the main
// loop (DaemonHost) and by every extra --server-threads loop (ServerLoop) alike: read a server
// socket in batches (recvmmsg, or recvmsg per datagram with --io-batch 1), take each datagram's
// source and kernel receive stamp, classify it (ServerResponder.IsPlainClientRequest), answer a
// plain client request (mode 3) with the loop's time server — the Engine's own on the main loop, on
// an extra loop one over that loop's copy of the main loop's latest ServerSnapshot — and hand
// anything else to the loop's owner (IServerPathOwner.Route: the Engine on the main loop, the
// hand-over queue to the main loop on an extra loop); then send the batch's replies (SendBatch:
// transmit timestamp written just before each send, MAC after it; an interleaved client's reply asks
// for its kernel transmit stamp, read back into the time server's table after the batch). The main loop also runs the
// datagrams the extra loops handed over through here (ServeHandedOver), so their replies leave the
// same way. Nothing on this path allocates: batches and slots are preallocated, the datagram passed
// on is a ref struct. One instance per loop thread.
using Stratum.Core.Auth;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Server;
using Stratum.Platform.Clock;
using Stratum.Platform.Net;

namespace Stratum.Platform.Hosting;

/// <summary>Batch receive, classify, answer client requests, batch send — for one loop.</summary>
internal sealed class ServerDatagramPath : IDisposable
{
    /// <summary>Receive slot: larger than any datagram we accept, so oversize ones are seen as such.</summary>
    public const int ReceiveSlotSize = 2048;

    /// <summary>Datagrams read from one readable socket before returning to poll(), for fairness:
    /// timers and other sockets wait at most a few hundred µs.</summary>
    public const int MaxDatagramsPerWakeup = 256;

    /// <summary>Largest reply: a header and the longest MAC.</summary>
    private const int ReplySlotSize = NtpHeader.Size + NtpPacket.MaxMacLength;

    private readonly IClockDriver _clock;
    private readonly ReceiveBatch _received;
    private readonly SendBatch _replies;
    private NativeSocketAddress _source;

    /// <param name="clock">Reads receive times when the kernel gave no stamp, and transmit times.</param>
    /// <param name="ioBatch">Datagrams per recvmmsg/sendmmsg; 1 uses recvmsg and sendto per datagram.</param>
    /// <param name="stamping">How replies are sent and stamped (SendBatch).</param>
    public ServerDatagramPath(IClockDriver clock, int ioBatch, TransmitStamping stamping = TransmitStamping.PerDatagram)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfLessThan(ioBatch, 1);
        _clock = clock;
        _received = new ReceiveBatch(ioBatch, ReceiveSlotSize, singleMessageCalls: ioBatch == 1);
        _replies = new SendBatch(ioBatch, ReplySlotSize, singleMessageCalls: ioBatch == 1) { Stamping = stamping };
    }

    public ReceiveBatch ReceiveBatch => _received;

    public SendBatch SendBatch => _replies;

    /// <summary>ntpd -d: report each client request's decision to the owner's Trace (allocates).</summary>
    public bool TraceTimeRequests { get; set; }

    /// <summary>Serves what is waiting on <paramref name="socket"/> (at most
    /// <see cref="MaxDatagramsPerWakeup"/> datagrams), then reports the pass to <paramref name="owner"/>.</summary>
    /// <param name="socket">A readable server socket.</param>
    /// <param name="socketIndex">Its index among the loop's server sockets.</param>
    /// <param name="server">The time server that answers client requests on this loop.</param>
    /// <param name="owner">Takes every other datagram, and the counts.</param>
    public void Serve(UdpSocket socket, int socketIndex, ServerResponder server, IServerPathOwner owner)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(owner);
        int received = 0;
        int timeRequests = 0;
        int sent = 0;
        int failed = 0;
        int receiveErrors = 0;
        while (received < MaxDatagramsPerWakeup)
        {
            int count = _received.Receive(socket, out int errno);
            if (errno != 0)
            {
                receiveErrors++;
            }

            if (count == 0)
            {
                break;
            }

            received += count;
            long receiveMono = _clock.ReadMonotonicNanoseconds();
            long wakeReal = 0;
            for (int i = 0; i < count; i++)
            {
                _received.CopySource(i, ref _source);
                long kernelStamp = _received.KernelRealtime(i);
                if (kernelStamp == 0 && wakeReal == 0)
                {
                    wakeReal = _clock.ReadRealtimeNanoseconds();
                }

                long receiveReal = kernelStamp != 0 ? _clock.MapKernelRealtime(kernelStamp) : wakeReal;
                ReadOnlySpan<byte> data = _received.Payload(i);
                if (ServerResponder.IsPlainClientRequest(data))
                {
                    timeRequests++;
                    Answer(server, data, _received.Length(i), receiveReal, receiveMono, owner);
                }
                else
                {
                    var datagram = new ServerDatagram(socket, socketIndex, data, _received.Length(i), receiveReal, receiveMono);
                    Route(datagram, owner);
                }
            }

            if (_replies.Count > 0)
            {
                sent += _replies.Flush(socket, _clock, out int refused);
                failed += refused;
            }

            if (count < _received.Capacity)
            {
                break;
            }
        }

        // Kernel transmit stamps of replies to interleaved clients: on loopback already queued by the
        // sends above; on a NIC they may come later and wake the loop by themselves (POLLERR).
        if (socket.TransmitStamps is { Pending: > 0 } stamps)
        {
            stamps.Drain(server.Interleaved);
        }

        if (received > 0 || receiveErrors > 0)
        {
            owner.Count(socketIndex, new ServerPathPass(received, timeRequests, sent, failed, receiveErrors));
        }
    }

    /// <summary>Main loop: routes up to <paramref name="max"/> datagrams an extra loop handed over, as
    /// if received on <paramref name="sockets"/>[index] (the main loop's member of the same
    /// SO_REUSEPORT group), sending any reply from there at once. Returns how many it took.</summary>
    public int ServeHandedOver(DatagramHandoff handoff, IReadOnlyList<UdpSocket> sockets, IServerPathOwner owner, int max)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        ArgumentNullException.ThrowIfNull(sockets);
        ArgumentNullException.ThrowIfNull(owner);
        int taken = 0;
        while (taken < max && handoff.TryPeek(out ReadOnlySpan<byte> data, out int length, out int socketIndex, out _source, out long receiveReal, out long receiveMono))
        {
            taken++;
            if ((uint)socketIndex < (uint)sockets.Count)
            {
                UdpSocket socket = sockets[socketIndex];
                Route(new ServerDatagram(socket, socketIndex, data, length, receiveReal, receiveMono), owner);
                int sent = 0;
                int failed = 0;
                if (_replies.Count > 0)
                {
                    sent = _replies.Flush(socket, _clock, out failed);
                }

                owner.Count(socketIndex, new ServerPathPass(0, 0, sent, failed, 0));
            }

            handoff.Advance();
        }

        return taken;
    }

    private void Answer(ServerResponder server, ReadOnlySpan<byte> data, int length, long receiveReal, long receiveMono, IServerPathOwner owner)
    {
        ServerDecision decision = server.Respond(data, _source.ToClientAddress(), NtpTimestamp.FromUnixNanoseconds(receiveReal), receiveMono, _replies.NextSlot, out int replyLength);
        if (decision == ServerDecision.Reply)
        {
            // An interleaved reply already carries its transmit timestamp (an earlier reply's kernel stamp).
            _replies.Add(replyLength, _source, server.ReplyIsInterleaved ? -1 : NtpHeader.TransmitTimeOffset, server.ReplyKey,
                server.ReplyTransmitOffsetNanoseconds, server.ReplyCaptureKey);
        }
        else if (decision == ServerDecision.Kod)
        {
            // A KoD keeps the request's transmit timestamp: it must not tell the client our time.
            _replies.Add(replyLength, _source, -1);
        }

        if (TraceTimeRequests)
        {
            owner.Trace(length, _source, decision);
        }
    }

    private void Route(in ServerDatagram datagram, IServerPathOwner owner)
    {
        int replyLength = owner.Route(datagram, _source, _replies.NextSlot, out bool stampTransmit, out SymmetricKey? macKey, out long transmitOffset);
        if (replyLength > 0)
        {
            _replies.Add(replyLength, _source, stampTransmit ? NtpHeader.TransmitTimeOffset : -1, macKey, transmitOffset);
        }
    }

    public void Dispose()
    {
        _received.Dispose();
        _replies.Dispose();
    }
}
