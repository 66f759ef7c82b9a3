// ServerLoop: one extra event loop of ntpd --server-threads (ARCHITECTURE.md §4, optional
// SO_REUSEPORT mode): a single thread with its own sockets (members of the server sockets'
// SO_REUSEPORT groups), its own receive and send batches, and its own stateless time server: a
// ServerResponder over a private SystemVariables refreshed from the main loop's latest
// ServerSnapshot, and a private AccessControl built from the same restrict and discard settings —
// so its MRU list and rate limits count only the clients the kernel's hash sends to this loop.
// It answers time requests (modes 3 and 1) only: it never touches associations, the clock or the
// control state; modes 6 and 7 are steered to the main loop's socket (ReusePortSteering) and any
// that arrive here anyway are dropped and counted. It has no timers. Its clock is only read (clock
// driver reads are clock_gettime, safe on any thread). Nothing on its packet path allocates. Its
// stop flag carries an eventfd, so the main loop stops it at once (this mode is never simulated).
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.Access;
using Stratum.Engine.Server;
using Stratum.Engine.SystemState;
using Stratum.Platform.Clock;
using Stratum.Platform.Loop;
using Stratum.Platform.Net;

namespace Stratum.Platform.Hosting;

/// <summary>An extra single-threaded loop that serves time from a snapshot.</summary>
internal sealed class ServerLoop : IEventLoopHandler, IDisposable
{
    private const int BatchesPerWakeup = 4;

    private readonly ServerLoopGroup _group;
    private readonly IClockDriver _clock;
    private readonly SystemVariables _system;
    private readonly List<UdpSocket> _sockets;
    private readonly ReceiveBatch _received;
    private readonly SendBatch _replies;
    private ServerSnapshot? _applied;
    private NativeSocketAddress _source;

    public ServerLoop(ServerLoopGroup group, IClockDriver clock, List<UdpSocket> sockets, sbyte precision, AccessControl access, bool answerSymmetricActive, int ioBatch, TransmitStamping stamping, KeyRing keys)
    {
        _group = group;
        _clock = clock;
        _sockets = sockets;
        _system = new SystemVariables(precision);
        Server = new ServerResponder(_system, access) { AnswerSymmetricActive = answerSymmetricActive, Keys = keys };
        _received = new ReceiveBatch(Math.Max(ioBatch, 1), ServerLoopGroup.ReceiveSlotSize);
        _replies = new SendBatch(Math.Max(ioBatch, 1), NtpHeader.Size + NtpPacket.MaxMacLength) { Stamping = stamping };
    }

    public ServerResponder Server { get; }

    /// <summary>This loop's own stop flag; the group raises it when the main loop ends, and its eventfd
    /// wakes the loop at once (the group disposes it once the thread has ended).</summary>
    public ShutdownSignals Signals { get; } = ShutdownSignals.WithWakeup();

    /// <summary>Mode 6/7 datagrams that reached this loop despite the steering program.</summary>
    public long ControlDropped { get; private set; }

    public long SendErrors { get; private set; }

    public IReadOnlyList<UdpSocket> Sockets => _sockets;

    /// <summary>Runs on this loop's thread until stopped, then closes its sockets there.</summary>
    public void Run()
    {
        try
        {
            new EventLoop(_clock, _sockets, this, Signals).Run();
        }
        finally
        {
            Dispose();
        }
    }

    public long OnStart(LoopTime now)
    {
        Refresh();
        return long.MaxValue;
    }

    public long OnTimer(LoopTime now) => long.MaxValue;

    public void OnReload(LoopTime now)
    {
    }

    public void OnReadable(UdpSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Refresh();
        for (int round = 0; round < BatchesPerWakeup; round++)
        {
            int count = _received.Receive(socket, out _);
            if (count == 0)
            {
                return;
            }

            long receiveMono = _clock.ReadMonotonicNanoseconds();
            long wakeReal = 0;
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<byte> request = _received.Payload(i);
                if (request.IsEmpty || (request[0] & 0x07) is (byte)NtpMode.Control or 7)
                {
                    ControlDropped++;
                    continue;
                }

                _received.CopySource(i, ref _source);
                long kernelStamp = _received.KernelRealtime(i);
                if (kernelStamp == 0 && wakeReal == 0)
                {
                    wakeReal = _clock.ReadRealtimeNanoseconds();
                }

                var receiveTime = NtpTimestamp.FromUnixNanoseconds(kernelStamp != 0 ? _clock.MapKernelRealtime(kernelStamp) : wakeReal);
                ServerDecision decision = Server.Respond(request, _source.ToClientAddress(), receiveTime, receiveMono, _replies.NextSlot, out int replyLength);
                if (decision is ServerDecision.Reply or ServerDecision.Kod)
                {
                    _replies.Add(replyLength, _source, decision == ServerDecision.Reply ? NtpHeader.TransmitTimeOffset : -1,
                        decision == ServerDecision.Reply ? Server.ReplyKey : null);
                }
            }

            if (_replies.Count > 0)
            {
                _ = _replies.Flush(socket, _clock, out int failed);
                SendErrors += failed;
            }

            if (count < _received.Capacity)
            {
                return;
            }
        }
    }

    /// <summary>Adopts the main loop's latest snapshot when it changed (one reference compare otherwise).</summary>
    private void Refresh()
    {
        ServerSnapshot latest = _group.Latest;
        if (!ReferenceEquals(latest, _applied))
        {
            latest.ApplyTo(_system);
            _applied = latest;
        }
    }

    public void Dispose()
    {
        foreach (UdpSocket socket in _sockets)
        {
            socket.Dispose();
        }

        _sockets.Clear();
        _received.Dispose();
        _replies.Dispose();
    }
}
