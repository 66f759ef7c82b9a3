// DaemonHost: wires the Engine to the operating system for ntpd (ARCHITECTURE.md §2): binds the
// listen sockets, runs the event loop, feeds it datagrams and timers, carries out the Engine's
// actions (log notices today; clock actions with the sync engine) and stamps every reply's
// transmit time as late as possible, just before sendto — or, on the batched server path (recvmmsg
// in, one sendmmsg out per batch; SendBatch explains the stamping), just before the sendmmsg. The
// packet path allocates nothing.
using Microsoft.Extensions.Logging;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.Access;
using Stratum.Engine.Server;
using Stratum.Platform.Clock;
using Stratum.Platform.Files;
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

    /// <summary>Datagrams per recvmmsg/sendmmsg unless configured (ntpd --io-batch).</summary>
    public const int DefaultIoBatch = 32;

    /// <summary>Largest batch accepted.</summary>
    public const int MaxIoBatch = 256;

    /// <summary>NTP mode 7: ntpd's private (ntpdc) protocol.</summary>
    private const byte PrivateMode = 7;

    private readonly IClockDriver _clock;
    private readonly NtpEngine _engine;
    private readonly ILogger _logger;
    private readonly EngineActions _actions = new();
    private readonly byte[] _receiveBuffer = GC.AllocateArray<byte>(ReceiveBufferSize, pinned: true);
    private readonly byte[] _replyBuffer = GC.AllocateArray<byte>(NtpHeader.Size + NtpPacket.MaxMacLength, pinned: true);
    private readonly List<UdpSocket> _sockets = [];

    /// <summary>ifstats counters of each server socket.</summary>
    private readonly Dictionary<UdpSocket, Stratum.Engine.Control.ControlInterface> _interfaceCounters = [];
    private readonly bool _debugPackets;
    private NativeSocketAddress _source;
    private ClockActionApplier? _clockActions;

    // Built at first use, after the init-only settings (KernelDiscipline) are in place.
    private ClockActionApplier ClockActions => _clockActions ??= new ClockActionApplier(_clock, KernelDiscipline, slewByFrequency: true);
    private ShutdownSignals? _signals;

    /// <summary>The stop "signal" Run returns after a fatal condition (ntpd then exits 1).</summary>
    public const int FatalStopSignal = -2;
    private readonly Dictionary<UdpSocket, AssociationSocket> _associationSockets = [];
    private readonly ReceiveBatch? _receiveBatch;
    private readonly SendBatch? _sendBatch;

    /// <summary>One client socket per remote association, on a random ephemeral port (RFC 9109).</summary>
    private sealed record AssociationSocket(int Id, UdpSocket Socket, System.Net.IPEndPoint Remote)
    {
        public NativeSocketAddress RemoteAddress = NativeSocketAddress.From(Remote);
    }

    /// <param name="ioBatch">Datagrams per recvmmsg/sendmmsg on the server sockets; 1 turns
    /// batching off (recvmsg and sendto per datagram, as simulators need).</param>
    public DaemonHost(IClockDriver clock, NtpEngine engine, ILogger logger, int ioBatch = DefaultIoBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ioBatch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ioBatch, MaxIoBatch);
        _clock = clock;
        _engine = engine;
        _logger = logger;
        if (ioBatch > 1)
        {
            _receiveBatch = new ReceiveBatch(ioBatch, ReceiveBufferSize);
            _sendBatch = new SendBatch(ioBatch, NtpHeader.Size + NtpPacket.MaxMacLength);
        }

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

    /// <summary>Extra server loops on SO_REUSEPORT sockets (ntpd --server-threads); set before Bind.</summary>
    public int ServerThreads { get; set; }

    /// <summary>The running extra server loops, or null.</summary>
    public ServerLoopGroup? ServerLoops { get; private set; }

    /// <summary>The batched receive path of the server sockets, or null when batching is off.</summary>
    public ReceiveBatch? ReceiveBatch => _receiveBatch;

    /// <summary>The batched reply path of the server sockets, or null when batching is off.</summary>
    public SendBatch? SendBatch => _sendBatch;

    /// <summary>Binds every endpoint, logging each as ntpd does; false when none could be bound.</summary>
    public bool Bind(IReadOnlyList<ListenEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        int index = 0;
        foreach (ListenEndpoint endpoint in endpoints)
        {
            UdpSocket? socket = UdpSocket.TryBind(endpoint.EndPoint, reuseAddress: true, reusePort: ServerThreads > 0, out string? error);
            if (socket is null)
            {
                DaemonLog.BindFailed(_logger, error ?? "bind failed");
                continue;
            }

            _sockets.Add(socket);
            var counters = new Stratum.Engine.Control.ControlInterface(endpoint.InterfaceName, socket.LocalEndPoint) { StartMono = _clock.ReadMonotonicNanoseconds() };
            _engine.Control.Host.Interfaces.Add(counters);
            _interfaceCounters[socket] = counters;
            string address = endpoint.EndPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? $"[{socket.LocalEndPoint.Address}]:{socket.LocalEndPoint.Port}"
                : $"{socket.LocalEndPoint.Address}:{socket.LocalEndPoint.Port}";
            DaemonLog.Listening(_logger, index++, endpoint.InterfaceName, address);
        }

        bool serving = _sockets.Count > 0;
        SetInterfaceRestrictions();
        _engine.Sources.LocalReferenceIds = LocalReferenceIds();
        foreach (Stratum.Engine.Associations.RemoteSource source in _engine.Sources.Sources)
        {
            OpenAssociationSocket(source);
        }

        return serving;
    }

    // One client socket per association, on a random ephemeral port (RFC 9109).
    private void OpenAssociationSocket(Stratum.Engine.Associations.RemoteSource source)
    {
        if (source.Association.IsRefclock)
        {
            // A reference clock is read by its driver (Refclocks), never over the network.
            return;
        }

        System.Net.IPEndPoint remote = source.Association.Settings.Address;
        var local = new System.Net.IPEndPoint(
            remote.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? System.Net.IPAddress.IPv6Any : System.Net.IPAddress.Any, 0);
        UdpSocket? socket = UdpSocket.TryBind(local, reuseAddress: false, out string? error);
        if (socket is null)
        {
            DaemonLog.BindFailed(_logger, $"association {source.Id} ({source.Association.Settings.DisplayName}): {error}");
            return;
        }

        _sockets.Add(socket);
        _associationSockets[socket] = new AssociationSocket(source.Id, socket, remote);
        _engine.Control.Host.AssociationSockets[source.Id] = socket.LocalEndPoint;
        SocketsVersion++;
    }

    private void CloseAssociationSocket(int id)
    {
        foreach (AssociationSocket association in _associationSockets.Values)
        {
            if (association.Id == id)
            {
                _associationSockets.Remove(association.Socket);
                _sockets.Remove(association.Socket);
                _engine.Control.Host.AssociationSockets.Remove(id);
                association.Socket.Dispose();
                SocketsVersion++;
                return;
            }
        }
    }

    /// <summary>Changes whenever association sockets are opened or closed (the loop re-reads the set).</summary>
    public int SocketsVersion { get; private set; }

    /// <summary>`server NAME` / `pool NAME` lines resolved at run time, or null when there are none.</summary>
    public NameMobilizer? Names { get; init; }

    /// <summary>Makes the resolver for names added at run time when <see cref="Names"/> is null.</summary>
    public Func<NameMobilizer>? CreateNames { get; init; }

    private NameMobilizer? _names;
    private LoopTime _now;

    /// <summary>Mobilizes an association with a known address (a resolved name, ntpq :config) and
    /// opens its socket; returns its id. Loop thread only.</summary>
    public int MobilizeAssociation(Stratum.Engine.Associations.RemoteAssociationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        int id = _engine.Sources.Mobilize(settings, _now, _engine.LocalClocks.Count + 1);
        foreach (Stratum.Engine.Associations.RemoteSource source in _engine.Sources.Sources)
        {
            if (source.Id == id)
            {
                OpenAssociationSocket(source);
            }
        }

        UpdateSourceRestrictions();
        return id;
    }

    /// <summary>Demobilizes association <paramref name="id"/> and closes its socket; false when there is none.</summary>
    public bool DemobilizeAssociation(int id)
    {
        if (!_engine.Sources.Demobilize(id, _actions))
        {
            return false;
        }

        CloseAssociationSocket(id);
        UpdateSourceRestrictions();
        return true;
    }

    /// <summary>Queues a `server NAME` / `pool NAME` line for resolution (ntpq :config); false
    /// when the host has no resolver.</summary>
    public bool ResolveAssociation(PendingAssociation line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (_names is null)
        {
            if (CreateNames is null)
            {
                return false;
            }

            _names = CreateNames();
            WireNames();
        }

        _names.Add(line);
        SocketsVersion++;
        return true;
    }

    private void WireNames()
    {
        _names ??= Names;
        if (_names is not { } names)
        {
            return;
        }

        names.Mobilize = MobilizeAssociation;
        names.Demobilize = id => DemobilizeAssociation(id);
        names.Log = text => DaemonLog.EngineInfo(_logger, text);
    }

    // "restrict source": every association's address, including those resolved at run time.
    private void UpdateSourceRestrictions()
    {
        var addresses = new List<ClientAddress>();
        foreach (Stratum.Engine.Associations.RemoteSource source in _engine.Sources.Sources)
        {
            addresses.Add(ClientAddress.From(source.Association.Settings.Address.Address));
        }

        _engine.Server.Access?.SetSourceAddresses(addresses);
    }

    private long RunNames(long deadline)
    {
        if (_names is not { } names)
        {
            return deadline;
        }

        double next = names.OnTimer(_now.MonoSeconds, _engine.Sources);
        // A newly mobilized association polls at once (iburst): wake for it.
        return Math.Min(Math.Min(deadline, (long)(next * 1e9)), _engine.Sources.NextDeadline());
    }

    // Every address of this host as a refid, for timing-loop detection (a source synchronized to us).
    private static HashSet<Stratum.Core.Wire.ReferenceId> LocalReferenceIds()
    {
        var refids = new HashSet<Stratum.Core.Wire.ReferenceId>();
        try
        {
            foreach (System.Net.NetworkInformation.NetworkInterface nic in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (System.Net.NetworkInformation.UnicastIPAddressInformation unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    refids.Add(Stratum.Core.Wire.ReferenceId.FromAddress(unicast.Address));
                }
            }
        }
        catch (System.Net.NetworkInformation.NetworkInformationException)
        {
            // No interface list: loop detection falls back to nothing, as before.
        }

        return refids;
    }

    /// <summary>ntpd's "ignore, ntpport" entries for our own listening addresses (accopt.html), so
    /// the daemon never answers itself; wildcard sockets add none.</summary>
    private void SetInterfaceRestrictions()
    {
        var own = new List<ClientAddress>();
        foreach (UdpSocket socket in _sockets)
        {
            System.Net.IPAddress address = socket.LocalEndPoint.Address;
            if (!address.Equals(System.Net.IPAddress.Any) && !address.Equals(System.Net.IPAddress.IPv6Any))
            {
                own.Add(ClientAddress.From(address));
            }
        }

        _engine.Server.Access?.SetInterfaceAddresses(own);
    }

    /// <summary>Runs until a stop signal; returns the signal number.</summary>
    public int Run(ShutdownSignals signals, Action<EventLoop>? onLoopCreated = null)
    {
        ArgumentNullException.ThrowIfNull(signals);
        _signals = signals;
        var loop = new EventLoop(_clock, _sockets, this, signals);
        onLoopCreated?.Invoke(loop);
        if (ServerThreads > 0)
        {
            var serverSockets = new List<UdpSocket>();
            foreach (UdpSocket socket in _sockets)
            {
                if (!_associationSockets.ContainsKey(socket))
                {
                    serverSockets.Add(socket);
                }
            }

            ServerLoops = ServerLoopGroup.TryStart(ServerThreads, serverSockets, _engine, _receiveBatch?.Capacity ?? 1, _sendBatch?.Stamping ?? TransmitStamping.PerDatagram, _logger, out string? error);
            if (ServerLoops is null)
            {
                DaemonLog.BindFailed(_logger, $"--server-threads: {error}; serving from the main loop only");
            }
        }

        try
        {
            return loop.Run();
        }
        finally
        {
            ServerLoops?.Dispose();
        }
    }

    public long OnStart(LoopTime now)
    {
        _now = now;
        _actions.Clear();
        _engine.Start(now, _actions);
        WireNames();
        long deadline = RunNames(CarryOut());
        _actions.Clear();
        return Math.Min(deadline, CarryOut());
    }

    public long OnTimer(LoopTime now)
    {
        _now = now;
        ClockActions.OnDeadline(now.Mono);
        _actions.Clear();
        long names = RunNames(long.MaxValue);
        _engine.OnTimer(now, _actions);
        long refclocks = Refclocks?.OnTimer(now, _engine, _actions, ClockActions.ReadPendingSlew()) ?? long.MaxValue;
        long next = Math.Min(Math.Min(names, refclocks), CarryOut());
        ServerLoops?.Publish(_engine.System);
        return Math.Min(next, ClockActions.Deadline);
    }

    /// <summary>The end of a frequency slew that a reply started.</summary>
    public long WakeDeadline => _clockActions?.Deadline ?? long.MaxValue;

    public void OnReload(LoopTime now) =>
        DaemonLog.Info(_logger, "SIGHUP: configuration reload is not implemented yet; keeping the running configuration");

    public void OnReadable(UdpSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (_associationSockets.TryGetValue(socket, out AssociationSocket? association))
        {
            ReadReplies(association);
            ServerLoops?.Publish(_engine.System);
            return;
        }

        Stratum.Engine.Control.ControlInterface? counters = _interfaceCounters.GetValueOrDefault(socket);
        _engine.Control.Host.Wakeups++;
        if (_receiveBatch is not null && _sendBatch is not null)
        {
            ServeBatches(socket, counters, _receiveBatch, _sendBatch);
            return;
        }

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

            if (i == 0)
            {
                _engine.Control.Host.UsefulWakeups++;
            }

            if (counters is not null)
            {
                counters.Received++;
            }

            long receiveReal = kernelStamp != 0 ? _clock.MapKernelRealtime(kernelStamp) : _clock.ReadRealtimeNanoseconds();
            long receiveMono = _clock.ReadMonotonicNanoseconds();
            ReadOnlySpan<byte> request = _receiveBuffer.AsSpan(0, Math.Min(length, ReceiveBufferSize));
            int replyLength = Dispatch(socket, request, length, receiveReal, receiveMono, _replyBuffer, out bool stampTransmit, out Stratum.Core.Auth.SymmetricKey? macKey);
            if (replyLength == 0)
            {
                continue;
            }

            if (stampTransmit)
            {
                NtpTimestamp.FromUnixNanoseconds(_clock.ReadRealtimeNanoseconds()).Write(_replyBuffer.AsSpan(NtpHeader.TransmitTimeOffset));
            }

            if (macKey is not null)
            {
                // The MAC covers the transmit timestamp: sign after stamping.
                replyLength = Stratum.Core.Auth.PacketMac.Append(macKey, _replyBuffer, replyLength);
            }

            bool failed = socket.Send(_replyBuffer.AsSpan(0, replyLength), ref _source) != 0;
            CountSent(counters, failed ? 0 : 1, failed ? 1 : 0);
        }
    }

    /// <summary>Server replies sent and refused, in the host's and the interface's counters.</summary>
    private void CountSent(Stratum.Engine.Control.ControlInterface? counters, int sent, int failed)
    {
        SendErrors += failed;
        _engine.Control.Host.Sent += sent;
        _engine.Control.Host.SendFailures += failed;
        if (counters is not null)
        {
            counters.Sent += sent;
            counters.SendErrors += failed;
        }
    }

    /// <summary>The batched server path (issue 6): recvmmsg up to a batch, dispatch each datagram as
    /// the one-at-a-time path does, queue the time replies, then flush them (SendBatch: by default
    /// one sendto each with its transmit stamp read just before, signed afterwards when the request
    /// was authenticated). At most <see cref="MaxDatagramsPerWakeup"/> × 4
    /// datagrams per wake-up, so timers and other sockets wait at most a few hundred µs.</summary>
    private void ServeBatches(UdpSocket socket, Stratum.Engine.Control.ControlInterface? counters, ReceiveBatch received, SendBatch replies)
    {
        int budget = MaxDatagramsPerWakeup * 4;
        while (budget > 0)
        {
            int count = received.Receive(socket, out int errno);
            if (errno != 0)
            {
                ReceiveErrors++;
            }

            if (count == 0)
            {
                return;
            }

            if (budget == MaxDatagramsPerWakeup * 4)
            {
                _engine.Control.Host.UsefulWakeups++;
            }

            if (counters is not null)
            {
                counters.Received += count;
            }

            budget -= count;
            long receiveMono = _clock.ReadMonotonicNanoseconds();
            long wakeReal = 0;
            for (int i = 0; i < count; i++)
            {
                received.CopySource(i, ref _source);
                long kernelStamp = received.KernelRealtime(i);
                if (kernelStamp == 0 && wakeReal == 0)
                {
                    wakeReal = _clock.ReadRealtimeNanoseconds();
                }

                long receiveReal = kernelStamp != 0 ? _clock.MapKernelRealtime(kernelStamp) : wakeReal;
                int replyLength = Dispatch(socket, received.Payload(i), received.Length(i), receiveReal, receiveMono, replies.NextSlot, out bool stampTransmit, out Stratum.Core.Auth.SymmetricKey? macKey);
                if (replyLength > 0)
                {
                    replies.Add(replyLength, _source, stampTransmit ? NtpHeader.TransmitTimeOffset : -1, macKey);
                }
            }

            if (replies.Count > 0)
            {
                int sent = replies.Flush(socket, _clock, out int failed);
                CountSent(counters, sent, failed);
            }

            if (count < received.Capacity)
            {
                return;
            }
        }
    }

    /// <summary>One datagram from <see cref="_source"/> on a server socket: modes 6 and 7 are gated
    /// and answered at once; a time request's reply or KoD is written into <paramref name="reply"/>.
    /// Returns the reply's length, 0 when nothing is to be sent; <paramref name="stampTransmit"/> is
    /// true for a reply whose transmit timestamp the caller writes just before sending (a KoD keeps
    /// the request's: it must not tell the client our time).</summary>
    private int Dispatch(UdpSocket socket, ReadOnlySpan<byte> request, int length, long receiveReal, long receiveMono, Span<byte> reply, out bool stampTransmit, out Stratum.Core.Auth.SymmetricKey? macKey)
    {
        stampTransmit = false;
        macKey = null;
        ServerResponder server = _engine.Server;
        var receiveTime = NtpTimestamp.FromUnixNanoseconds(receiveReal);
        ClientAddress client = _source.ToClientAddress();
        _engine.Control.Host.Received++;
        Stratum.Core.Config.RestrictFlags queryFlags = default;
        if (!request.IsEmpty && (request[0] & 0x07) is (byte)NtpMode.Control or PrivateMode
            && server.AdmitQuery(request, client, receiveTime, receiveMono, out queryFlags) is not ServerDecision.Control and var refused)
        {
            // restrict ignore/noquery and the query rate limit gate modes 6 and 7 (their replies are larger).
            if (_debugPackets)
            {
                DaemonLog.Packet(_logger, length, _source.ToString(), refused.ToString());
            }

            return 0;
        }

        if (!request.IsEmpty && (request[0] & 0x07) == (byte)NtpMode.Control)
        {
            // Mode 6 messages are shorter than an NTP header, so they bypass the time server's parser.
            AnswerControl(socket, request, receiveReal, client, queryFlags);
            return 0;
        }

        if (!request.IsEmpty && (request[0] & 0x07) == PrivateMode)
        {
            // Mode 7 (ntpdc): answered only with `enable mode7`, read-only, never larger than the request.
            AnswerPrivate(socket, request);
            return 0;
        }

        if (!request.IsEmpty && (request[0] & 0x07) is (byte)NtpMode.SymmetricActive or (byte)NtpMode.SymmetricPassive
            && PeerAssociationOf(client) is int peerId)
        {
            // A configured peer's packet (symmetric mode, RFC 5905 §9): it belongs to its association, not to
            // the stateless server; the association answers on its own poll schedule.
            var now = new LoopTime(_clock.ReadMonotonicNanoseconds(), NtpTimestamp.FromUnixNanoseconds(_clock.ReadRealtimeNanoseconds()));
            _actions.Clear();
            PendingSlew pending = ClockActions.ReadPendingSlew();
            _engine.OnReply(peerId, request[..Math.Min(length, request.Length)], receiveTime, now, _actions, pending.Seconds, pending.Uncertainty);
            CarryOut();
            return 0;
        }

        ServerDecision decision = server.Respond(request, client, receiveTime, receiveMono, reply, out int replyLength);
        if (_debugPackets)
        {
            DaemonLog.Packet(_logger, length, _source.ToString(), decision.ToString());
        }

        if (decision is not (ServerDecision.Reply or ServerDecision.Kod))
        {
            return 0;
        }

        stampTransmit = decision == ServerDecision.Reply;
        macKey = stampTransmit ? server.ReplyKey : null;
        return replyLength;
    }

    // The id of the `peer` association with this remote host (any source port), or null. The peers'
    // addresses are cached per socket-set version, so a mode 1 flood costs no allocation.
    private int? PeerAssociationOf(in ClientAddress client)
    {
        if (_peerCacheVersion != SocketsVersion)
        {
            _peerCacheVersion = SocketsVersion;
            _peerAddresses.Clear();
            foreach (Stratum.Engine.Associations.RemoteSource source in _engine.Sources.Sources)
            {
                if (source.Association.Settings.Mode == Stratum.Engine.Associations.AssociationMode.SymmetricActive)
                {
                    _peerAddresses.Add((source.Id, ClientAddress.From(source.Association.Settings.Address.Address)));
                }
            }
        }

        foreach ((int id, ClientAddress address) in _peerAddresses)
        {
            if (address.SameHost(client))
            {
                return id;
            }
        }

        return null;
    }

    private readonly List<(int Id, ClientAddress Address)> _peerAddresses = [];
    private int _peerCacheVersion = -1;

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

            if (_engine.Server.Access?.Match(_source.ToClientAddress()).Flags is { } restricted
                && (restricted & (Stratum.Core.Config.RestrictFlags.Ignore | Stratum.Core.Config.RestrictFlags.NoServe)) != 0)
            {
                // ntpd drops even its servers' replies from an `ignore` or `noserve` source ("restrict source" exempts them).
                continue;
            }

            var now = new LoopTime(_clock.ReadMonotonicNanoseconds(), NtpTimestamp.FromUnixNanoseconds(_clock.ReadRealtimeNanoseconds()));
            _actions.Clear();
            PendingSlew pending = ClockActions.ReadPendingSlew();
            _engine.OnReply(association.Id, _receiveBuffer.AsSpan(0, Math.Min(length, ReceiveBufferSize)), NtpTimestamp.FromUnixNanoseconds(receiveReal),
                now, _actions, pending.Seconds, pending.Uncertainty);
            CarryOut();
        }
    }

    /// <summary>Mode 6 (ntpq): the Engine's control responder builds the fragments (the source and
    /// its restrict flags bind mrulist nonces and apply `nomrulist`).</summary>
    private void AnswerControl(UdpSocket socket, ReadOnlySpan<byte> request, long receiveReal, in ClientAddress client, Stratum.Core.Config.RestrictFlags flags)
    {
        var now = new LoopTime(_clock.ReadMonotonicNanoseconds(), NtpTimestamp.FromUnixNanoseconds(receiveReal));
        // :config may mobilize or demobilize associations: their notices are carried out at once.
        _now = now;
        _actions.Clear();
        SendAll(socket, _engine.Control.Respond(request, now, client, flags));
        CarryOut();
    }

    /// <summary>Mode 7 (ntpdc): the Engine's mode 7 responder decides, including whether to answer at all.</summary>
    private void AnswerPrivate(UdpSocket socket, ReadOnlySpan<byte> request)
    {
        var now = new LoopTime(_clock.ReadMonotonicNanoseconds(), NtpTimestamp.FromUnixNanoseconds(_clock.ReadRealtimeNanoseconds()));
        SendAll(socket, _engine.Control.Mode7.Respond(request, now));
    }

    private void SendAll(UdpSocket socket, IReadOnlyList<byte[]> datagrams)
    {
        foreach (byte[] datagram in datagrams)
        {
            bool failed = socket.Send(datagram, ref _source) != 0;
            CountSent(_interfaceCounters.GetValueOrDefault(socket), failed ? 0 : 1, failed ? 1 : 0);
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
                    // ntpd exits on a fatal condition (the panic threshold): stop the loop.
                    _signals?.RequestStop(FatalStopSignal);
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

        if (Statistics is { } statistics)
        {
            if (_actions.LoopStats.Count > 0 || _actions.PeerStats.Count > 0)
            {
                statistics.Record(_actions, _clock.ReadRealtimeNanoseconds());
            }

            if (_actions.RawStats.Count > 0)
            {
                statistics.RecordRaw(_actions, _clock.ReadRealtimeNanoseconds(), LocalAddressOf);
            }
        }

        foreach (ClockAction action in _actions.ClockActions)
        {
            if (ClockActions.Apply(action) is { } report)
            {
                if (report.Failed)
                {
                    DaemonLog.BindFailed(_logger, report.Text);
                }
                else
                {
                    DaemonLog.EngineInfo(_logger, report.Text);
                }
            }
        }

        long deadline = _actions.NextDeadline;
        if (Statistics is { } writer && writer.Writes(Stratum.Core.Config.StatisticsKind.SysStats))
        {
            deadline = Math.Min(deadline, WriteSysStatsWhenDue(writer));
        }

        if (DriftFile is { } drift)
        {
            if (drift.OnTimer(_clock.ReadMonotonicNanoseconds() / 1e9, _engine.Sources.Discipline.Status) is string error)
            {
                DaemonLog.BindFailed(_logger, error);
            }

            if (!double.IsNaN(drift.NextWriteSeconds))
            {
                deadline = Math.Min(deadline, (long)(drift.NextWriteSeconds * 1e9));
            }
        }

        return deadline;
    }

    /// <summary>sysstats: one line an hour after start, then the server counters start again from
    /// zero (ntpd's proto_clr_stats). Returns when the next line is due (monotonic ns).</summary>
    private long WriteSysStatsWhenDue(StatisticsWriter writer)
    {
        long mono = _clock.ReadMonotonicNanoseconds();
        if (_nextSysStatsMono == 0)
        {
            _nextSysStatsMono = mono + SysStatsIntervalNanoseconds;
        }
        else if (mono >= _nextSysStatsMono)
        {
            var now = new LoopTime(mono, NtpTimestamp.FromUnixNanoseconds(_clock.ReadRealtimeNanoseconds()));
            writer.RecordSystem(_clock.ReadRealtimeNanoseconds(), _engine.Control.StatisticsAgeSeconds(now), _engine.Server.Counters);
            _engine.Control.ResetStatistics(now);
            _nextSysStatsMono = mono + SysStatsIntervalNanoseconds;
        }

        return _nextSysStatsMono;
    }

    /// <summary>ntpd writes sysstats hourly.</summary>
    private const long SysStatsIntervalNanoseconds = 3600 * LoopTime.NanosecondsPerSecond;

    private long _nextSysStatsMono;

    /// <summary>"addr" of the local end of an association's socket (rawstats' second address).</summary>
    private string? LocalAddressOf(int associationId) =>
        _engine.Control.Host.AssociationSockets.TryGetValue(associationId, out System.Net.IPEndPoint? local) ? local.Address.ToString() : null;

    /// <summary>`enable kernel` (default): phase corrections go to the kernel PLL; `disable kernel`: adjtime.</summary>
    public bool KernelDiscipline { get; init; } = true;

    /// <summary>Reference clock drivers (SHM), or null when none is configured.</summary>
    public Stratum.Platform.Refclock.RefclockDrivers? Refclocks { get; set; }

    /// <summary>loopstats/peerstats, or null when no statistics are enabled.</summary>
    public StatisticsWriter? Statistics { get; init; }

    /// <summary>The drift file to write hourly and at exit, or null without `driftfile`.</summary>
    public DriftFileKeeper? DriftFile { get; init; }

    /// <summary>Writes the drift file once more (at exit), if the frequency is known.</summary>
    public void SaveDriftFile()
    {
        if (DriftFile?.Save(_engine.Sources.Discipline.Status) is string error)
        {
            DaemonLog.BindFailed(_logger, error);
        }
    }

    public void Dispose()
    {
        foreach (UdpSocket socket in _sockets)
        {
            socket.Dispose();
        }

        _sockets.Clear();
        _receiveBatch?.Dispose();
        _sendBatch?.Dispose();
        (_names ?? Names)?.Dispose();
        Statistics?.Dispose();
        Refclocks?.Dispose();
    }
}
