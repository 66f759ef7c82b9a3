// DaemonHost: wires the Engine to the operating system for ntpd (ARCHITECTURE.md §2): binds the
// listen sockets, runs the event loop, feeds it datagrams and timers, carries out the Engine's
// actions (log notices today; clock actions with the sync engine) and stamps every reply's
// transmit time as late as possible, just before sendto. The packet path allocates nothing.
using Microsoft.Extensions.Logging;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.Server;
using Stratum.Platform.Clock;
using Stratum.Platform.Logging;
using Stratum.Platform.Loop;
using Stratum.Platform.Net;

namespace Stratum.Platform.Hosting;

/// <summary>Runs ntpd's event loop over a configured Engine.</summary>
public sealed class DaemonHost : IEventLoopHandler, IDisposable
{
    /// <summary>Receive buffer: larger than any packet we accept, so oversize ones are seen as such.</summary>
    private const int ReceiveBufferSize = 2048;

    /// <summary>Datagrams read per readable socket before returning to poll(), for fairness.</summary>
    private const int MaxDatagramsPerWakeup = 64;

    private readonly IClockDriver _clock;
    private readonly NtpEngine _engine;
    private readonly ILogger _logger;
    private readonly EngineActions _actions = new();
    private readonly byte[] _receiveBuffer = GC.AllocateArray<byte>(ReceiveBufferSize, pinned: true);
    private readonly byte[] _replyBuffer = GC.AllocateArray<byte>(NtpHeader.Size + NtpPacket.MaxMacLength, pinned: true);
    private readonly List<UdpSocket> _sockets = [];
    private readonly bool _debugPackets;
    private NativeSocketAddress _source;
    private bool _clockErrorReported;
    private readonly Dictionary<UdpSocket, AssociationSocket> _associationSockets = [];

    /// <summary>One client socket per remote association, on a random ephemeral port (RFC 9109).</summary>
    private sealed record AssociationSocket(int Id, UdpSocket Socket, System.Net.IPEndPoint Remote)
    {
        public NativeSocketAddress RemoteAddress = NativeSocketAddress.From(Remote);
    }

    public DaemonHost(IClockDriver clock, NtpEngine engine, ILogger logger)
    {
        _clock = clock;
        _engine = engine;
        _logger = logger;
        // -d: one debug line per datagram (allocates; never on in production).
        _debugPackets = logger.IsEnabled(LogLevel.Debug);
    }

    public NtpEngine Engine => _engine;

    /// <summary>Raised on the loop thread each time the Engine reports synchronization.</summary>
    public event Action? Synchronized;

    public IReadOnlyList<UdpSocket> Sockets => _sockets;

    /// <summary>Set when the Engine reported a fatal condition (panic threshold); ntpd exits 1.</summary>
    public string? FatalError { get; private set; }

    /// <summary>Receive failures other than "nothing waiting".</summary>
    public long ReceiveErrors { get; private set; }

    /// <summary>Datagrams whose reply could not be sent.</summary>
    public long SendErrors { get; private set; }

    /// <summary>Binds every endpoint, logging each as ntpd does; false when none could be bound.</summary>
    public bool Bind(IReadOnlyList<ListenEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        int index = 0;
        foreach (ListenEndpoint endpoint in endpoints)
        {
            UdpSocket? socket = UdpSocket.TryBind(endpoint.EndPoint, reuseAddress: true, out string? error);
            if (socket is null)
            {
                DaemonLog.BindFailed(_logger, error ?? "bind failed");
                continue;
            }

            _sockets.Add(socket);
            string address = endpoint.EndPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? $"[{socket.LocalEndPoint.Address}]:{socket.LocalEndPoint.Port}"
                : $"{socket.LocalEndPoint.Address}:{socket.LocalEndPoint.Port}";
            DaemonLog.Listening(_logger, index++, endpoint.InterfaceName, address);
        }

        bool serving = _sockets.Count > 0;
        foreach (Stratum.Engine.Associations.RemoteSource source in _engine.Sources.Sources)
        {
            System.Net.IPEndPoint remote = source.Association.Settings.Address;
            var local = new System.Net.IPEndPoint(
                remote.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? System.Net.IPAddress.IPv6Any : System.Net.IPAddress.Any, 0);
            UdpSocket? socket = UdpSocket.TryBind(local, reuseAddress: false, out string? error);
            if (socket is null)
            {
                DaemonLog.BindFailed(_logger, $"association {source.Id} ({source.Association.Settings.DisplayName}): {error}");
                continue;
            }

            _sockets.Add(socket);
            _associationSockets[socket] = new AssociationSocket(source.Id, socket, remote);
        }

        return serving;
    }

    /// <summary>Runs until a stop signal; returns the signal number.</summary>
    public int Run(ShutdownSignals signals, Action<EventLoop>? onLoopCreated = null)
    {
        var loop = new EventLoop(_clock, _sockets, this, signals);
        onLoopCreated?.Invoke(loop);
        return loop.Run();
    }

    public long OnStart(LoopTime now)
    {
        _actions.Clear();
        _engine.Start(now, _actions);
        return CarryOut();
    }

    public long OnTimer(LoopTime now)
    {
        _actions.Clear();
        _engine.OnTimer(now, _actions);
        return CarryOut();
    }

    public void OnReload(LoopTime now) =>
        DaemonLog.Info(_logger, "SIGHUP: configuration reload is not implemented yet; keeping the running configuration");

    public void OnReadable(UdpSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (_associationSockets.TryGetValue(socket, out AssociationSocket? association))
        {
            ReadReplies(association);
            return;
        }

        ServerResponder server = _engine.Server;
        for (int i = 0; i < MaxDatagramsPerWakeup; i++)
        {
            if (!socket.TryReceive(_receiveBuffer, ref _source, out int length, out long kernelStamp, out int errno))
            {
                if (errno != 0)
                {
                    ReceiveErrors++;
                }

                return;
            }

            long receiveReal = kernelStamp != 0 ? _clock.MapKernelRealtime(kernelStamp) : _clock.ReadRealtimeNanoseconds();
            double monoSeconds = _clock.ReadMonotonicNanoseconds() / 1e9;
            ReadOnlySpan<byte> request = _receiveBuffer.AsSpan(0, Math.Min(length, ReceiveBufferSize));
            if (!request.IsEmpty && (request[0] & 0x07) == (byte)NtpMode.Control)
            {
                // Mode 6 messages are shorter than an NTP header, so they bypass the time server's parser.
                AnswerControl(socket, request, receiveReal);
                continue;
            }

            ServerDecision decision = server.Respond(request, NtpTimestamp.FromUnixNanoseconds(receiveReal), monoSeconds, _replyBuffer, out int replyLength);
            if (_debugPackets)
            {
                DaemonLog.Packet(_logger, length, _source.ToString(), decision.ToString());
            }
            if (decision != ServerDecision.Reply)
            {
                continue;
            }

            Span<byte> reply = _replyBuffer.AsSpan(0, replyLength);
            NtpTimestamp.FromUnixNanoseconds(_clock.ReadRealtimeNanoseconds()).Write(reply[NtpHeader.TransmitTimeOffset..]);
            if (socket.Send(reply, ref _source) != 0)
            {
                SendErrors++;
            }
        }
    }

    /// <summary>Replies on an association's own socket; only datagrams from its remote address count.</summary>
    private void ReadReplies(AssociationSocket association)
    {
        for (int i = 0; i < MaxDatagramsPerWakeup; i++)
        {
            if (!association.Socket.TryReceive(_receiveBuffer, ref _source, out int length, out long kernelStamp, out int errno))
            {
                if (errno != 0)
                {
                    ReceiveErrors++;
                }

                return;
            }

            long receiveReal = kernelStamp != 0 ? _clock.MapKernelRealtime(kernelStamp) : _clock.ReadRealtimeNanoseconds();
            if (!_source.SameAs(association.RemoteAddress))
            {
                continue;
            }

            var now = new LoopTime(_clock.ReadMonotonicNanoseconds(), NtpTimestamp.FromUnixNanoseconds(_clock.ReadRealtimeNanoseconds()));
            _actions.Clear();
            _engine.OnReply(association.Id, _receiveBuffer.AsSpan(0, Math.Min(length, ReceiveBufferSize)), NtpTimestamp.FromUnixNanoseconds(receiveReal),
                now, _actions, _clock.PendingSlewSeconds);
            CarryOut();
        }
    }

    /// <summary>Mode 6 (ntpq): the Engine's control responder builds the fragments (mode 7 is dropped by the server path).</summary>
    private void AnswerControl(UdpSocket socket, ReadOnlySpan<byte> request, long receiveReal)
    {
        var now = new LoopTime(_clock.ReadMonotonicNanoseconds(), NtpTimestamp.FromUnixNanoseconds(receiveReal));
        foreach (byte[] fragment in _engine.Control.Respond(request, now))
        {
            if (socket.Send(fragment, ref _source) != 0)
            {
                SendErrors++;
            }
        }
    }

    private long CarryOut()
    {
        foreach (EngineNotice notice in _actions.Notices)
        {
            switch (notice.Kind)
            {
                case NoticeKind.Synchronized:
                    DaemonLog.Synchronized(_logger, notice.Text);
                    Synchronized?.Invoke();
                    break;
                case NoticeKind.NotImplemented: DaemonLog.NotImplemented(_logger, notice.Text); break;
                case NoticeKind.SyncLost: DaemonLog.SyncLost(_logger, notice.Text); break;
                case NoticeKind.Fatal:
                    DaemonLog.BindFailed(_logger, notice.Text);
                    FatalError = notice.Text;
                    break;
                default: DaemonLog.EngineInfo(_logger, notice.Text); break;
            }
        }

        foreach (OutgoingPacket packet in _actions.Packets)
        {
            foreach (AssociationSocket association in _associationSockets.Values)
            {
                if (association.Id == packet.AssociationId)
                {
                    Span<byte> bytes = _actions.PacketBytes(packet);
                    _engine.MarkSent(packet.AssociationId, NtpTimestamp.FromUnixNanoseconds(_clock.ReadRealtimeNanoseconds()));
                    if (association.Socket.Send(bytes, ref association.RemoteAddress) != 0)
                    {
                        SendErrors++;
                    }
                }
            }
        }

        foreach (ClockAction action in _actions.ClockActions)
        {
            ClockWriteResult result = action.Kind switch
            {
                ClockActionKind.Step => _clock.Step(action.Value),
                ClockActionKind.Slew => _clock.Slew(action.Value),
                ClockActionKind.SetFrequency => _clock.SetFrequency(action.Value),
                _ => ClockWriteResult.Ignored,
            };
            if (!result.Succeeded && !_clockErrorReported)
            {
                _clockErrorReported = true;
                DaemonLog.BindFailed(_logger, $"cannot adjust the clock ({action.Kind}): {result.Detail} (needs root or CAP_SYS_TIME)");
            }
        }

        return _actions.NextDeadline;
    }

    public void Dispose()
    {
        foreach (UdpSocket socket in _sockets)
        {
            socket.Dispose();
        }

        _sockets.Clear();
    }
}
