// DaemonHost: ntpd's I/O shell around the Engine (ARCHITECTURE.md §2, §4): binds the listening
// sockets and the associations' own sockets, runs the event loop, calls NtpEngine.OnTimer at the
// deadline it returned, hands finished name lookups to NtpEngine.OnResolved, and has the shared
// action executor (EngineActionExecutor) carry out what the Engine decided, through this class's
// socket and log ports. Its server sockets are read by the one server datagram path
// (ServerDatagramPath), the same the --server-threads loops run: a plain client request is answered
// there by the Engine's time server (NtpEngine.Server), every other datagram is handed to
// NtpEngine.OnDatagram (Route), and so is every datagram an extra loop handed over (its ring is
// drained when the loop's eventfd wakes this one: OnWakeup). Datagrams on an association's socket
// go to NtpEngine.OnDatagram. Which datagram goes where (time server, modes 6 and 7, peers,
// association replies), restrict checks and every schedule (polls, pool upkeep, drift file,
// sysstats) are the Engine's. Broadcast and manycast: group sockets (port 123 on a multicast group joined on
// every multicast interface, or on an interface's broadcast address) are read apart and handed to the
// Engine as group datagrams (a manycast server's reply leaves from the same socket, the kernel choosing
// a unicast source address); a broadcast server sends through a server socket with SO_BROADCAST, a
// manycast solicitor through its own with the multicast time-to-live. A time reply's transmit
// timestamp is written as late as possible, just
// before its sendto (SendBatch explains the stamping). After every event the server state is
// published to the extra loops (ServerLoopGroup.Publish: a few compares unless it changed). The
// time server path allocates nothing.
using System.Net;
using Microsoft.Extensions.Logging;
using Stratum.Core.Auth;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.Control;
using Stratum.Engine.Server;
using Stratum.Platform.Clock;
using Stratum.Platform.Files;
using Stratum.Platform.Logging;
using Stratum.Platform.Loop;
using Stratum.Platform.Net;

namespace Stratum.Platform.Hosting;

/// <summary>Runs ntpd's event loop over a configured Engine.</summary>
public sealed class DaemonHost : IEventLoopHandler, IServerPathOwner, IDatagramSender, ILogSink, IDisposable
{
    /// <summary>Receive buffer: larger than any packet we accept, so oversize ones are seen as such.</summary>
    private const int ReceiveBufferSize = ServerDatagramPath.ReceiveSlotSize;

    /// <summary>Datagrams read per readable association socket before returning to poll(), for fairness.</summary>
    private const int MaxDatagramsPerWakeup = 64;

    /// <summary>Datagrams per recvmmsg/sendmmsg unless configured (ntpd --io-batch).</summary>
    public const int DefaultIoBatch = 32;

    /// <summary>Largest batch accepted.</summary>
    public const int MaxIoBatch = 256;

    /// <summary>The stop "signal" Run returns after a fatal condition (ntpd then exits 1).</summary>
    public const int FatalStopSignal = -2;

    private readonly IClockDriver _clock;
    private readonly NtpEngine _engine;
    private readonly ILogger _logger;
    private readonly EngineActions _actions = new();
    private readonly byte[] _receiveBuffer = GC.AllocateArray<byte>(ReceiveBufferSize, pinned: true);
    private readonly byte[] _replyBuffer = GC.AllocateArray<byte>(NtpHeader.Size + NtpPacket.MaxMacLength, pinned: true);
    private readonly List<UdpSocket> _sockets = [];
    private readonly Action<ResolveResult> _onResolved;

    /// <summary>The listening (server) sockets in bind order, and the ifstats counters of each.</summary>
    private readonly List<UdpSocket> _serverSockets = [];
    private readonly List<ControlInterface> _interfaceCounters = [];
    private readonly Dictionary<UdpSocket, AssociationSocket> _associationSockets = [];
    private readonly Dictionary<int, AssociationSocket> _associationSocketsById = [];
    private readonly List<UdpSocket> _groupSockets = [];
    private readonly bool _debugPackets;
    private readonly ServerDatagramPath _path;
    private NativeSocketAddress _source;
    private UdpSocket? _answerSocket;
    private EngineActionExecutor? _executor;
    private ShutdownSignals? _signals;
    private LoopTime _now;
    private long _armedDeadline = long.MaxValue;
    private long _wakeDeadline = long.MaxValue;
    private long _handoffDroppedCounted;

    /// <summary>One client socket per remote association, on a random ephemeral port (RFC 9109).</summary>
    private sealed record AssociationSocket(int Id, UdpSocket Socket, IPEndPoint Remote)
    {
        public NativeSocketAddress RemoteAddress = NativeSocketAddress.From(Remote);

        /// <summary>A symmetric peer's: the server socket, not the association's own.</summary>
        public bool SharesServerSocket { get; init; }
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
        _onResolved = OnResolved;
        _path = new ServerDatagramPath(clock, ioBatch);

        // -d: one debug line per datagram (allocates; never on in production).
        _debugPackets = logger.IsEnabled(LogLevel.Debug);
        _path.TraceTimeRequests = _debugPackets;
    }

    public NtpEngine Engine => _engine;

    /// <summary>Raised on the loop thread each time the Engine reports synchronization.</summary>
    public event Action? Synchronized;

    /// <summary>systemd's notification socket (Type=notify), or null: the loop sends its watchdog pings.</summary>
    public SystemdNotifier? Notifier { get; set; }

    public IReadOnlyList<UdpSocket> Sockets => _sockets;

    /// <summary>Set when the Engine reported a fatal condition (panic threshold); ntpd exits 1.</summary>
    public string? FatalError { get; private set; }

    /// <summary>Receive failures other than "nothing waiting".</summary>
    public long ReceiveErrors { get; private set; }

    /// <summary>Datagrams (replies and association requests) that could not be sent.</summary>
    public long SendErrors { get; private set; }

    /// <summary>Extra server loops on SO_REUSEPORT sockets (ntpd --server-threads); set before Bind.</summary>
    public int ServerThreads { get; set; }

    /// <summary>The running extra server loops, or null.</summary>
    public ServerLoopGroup? ServerLoops { get; internal set; }

    /// <summary>Datagrams the extra loops handed over that this loop has served.</summary>
    public long HandedOverServed { get; private set; }

    /// <summary>Tests only: false leaves modes 6 and 7 to the kernel's hash, so the extra loops
    /// receive some and hand them over.</summary>
    internal bool SteerControlQueries { get; init; } = true;

    /// <summary>The receive batches of the server sockets (one datagram per call with --io-batch 1).</summary>
    public ReceiveBatch ReceiveBatch => _path.ReceiveBatch;

    /// <summary>The reply batches of the server sockets; its Stamping is ntpd --tx-stamp.</summary>
    public SendBatch SendBatch => _path.SendBatch;

    /// <summary>Changes whenever association sockets are opened or closed (the loop then re-reads the
    /// socket set and runs the timer at once).</summary>
    public int SocketsVersion { get; private set; }

    /// <summary>Looks up `server NAME` / `pool NAME` lines off the loop, or null (lookups are then refused).</summary>
    public HostResolver? Resolver { get; init; }

    /// <summary>`enable kernel` (default): phase corrections go to the kernel PLL; `disable kernel`: adjtime.</summary>
    public bool KernelDiscipline { get; init; } = true;

    /// <summary>Reference clock drivers (SHM), or null when none is configured.</summary>
    public Stratum.Platform.Refclock.RefclockDrivers? Refclocks { get; set; }

    /// <summary>loopstats/peerstats/rawstats/sysstats, or null when no statistics are enabled.</summary>
    public StatisticsWriter? Statistics { get; init; }

    /// <summary>The drift file, written when the Engine asks, or null without `driftfile`.</summary>
    public DriftFileKeeper? DriftFile { get; init; }

    /// <summary>Carries out the Engine's actions through this host's sockets, clock and log (built at first
    /// use, after the init-only settings are in place); the daemon slews through the frequency where the
    /// clock driver can. It is also where the Engine reads the pending slew.</summary>
    private EngineActionExecutor Executor => _executor ??= new EngineActionExecutor(_engine, _clock, this, this, KernelDiscipline, slewByFrequency: true)
    {
        Statistics = Statistics,
        DriftFile = DriftFile,
        Resolver = Resolver,
    };

    /// <summary>Binds every endpoint, logging each as ntpd does, then tells the Engine (which asks for
    /// the associations' sockets); false when no listening socket could be bound.</summary>
    public bool Bind(IReadOnlyList<ListenEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        int index = 0;
        var listening = new List<IPEndPoint>();
        foreach (ListenEndpoint endpoint in endpoints)
        {
            UdpSocket? socket = UdpSocket.TryBind(endpoint.EndPoint, reuseAddress: true, reusePort: ServerThreads > 0, out string? error);
            if (socket is null)
            {
                DaemonLog.BindFailed(_logger, error ?? "bind failed");
                continue;
            }

            _sockets.Add(socket);
            _serverSockets.Add(socket);
            listening.Add(socket.LocalEndPoint);
            var counters = new ControlInterface(endpoint.InterfaceName, socket.LocalEndPoint) { StartMono = _clock.ReadMonotonicNanoseconds() };
            _engine.Control.Host.Interfaces.Add(counters);
            _interfaceCounters.Add(counters);
            string address = endpoint.EndPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? $"[{socket.LocalEndPoint.Address}]:{socket.LocalEndPoint.Port}"
                : $"{socket.LocalEndPoint.Address}:{socket.LocalEndPoint.Port}";
            DaemonLog.Listening(_logger, index++, endpoint.InterfaceName, address);
        }

        _engine.OnListening(listening, HostAddresses(), _actions);
        CarryOut();
        return listening.Count > 0;
    }

    // Every address of this host (timing-loop detection: a source synchronized to us shows one as refid).
    private static List<IPAddress> HostAddresses()
    {
        var addresses = new List<IPAddress>();
        try
        {
            foreach (System.Net.NetworkInformation.NetworkInterface nic in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (System.Net.NetworkInformation.UnicastIPAddressInformation unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    addresses.Add(unicast.Address);
                }
            }
        }
        catch (System.Net.NetworkInformation.NetworkInformationException)
        {
            // No interface list: loop detection falls back to nothing.
        }

        return addresses;
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
            // The extra loops wake this one through its eventfd when they hand it a datagram.
            if (!signals.EnableWakeup())
            {
                DaemonLog.Info(_logger, "--server-threads: no eventfd; datagrams the extra loops hand over wait up to 1 s");
            }

            ServerLoops = ServerLoopGroup.TryStart(ServerThreads, _serverSockets, _engine, _path.ReceiveBatch.Capacity, _path.SendBatch.Stamping, _logger, out string? error,
                signals, SteerControlQueries, startThreads: true, loopClock: null);
            if (ServerLoops is null)
            {
                DaemonLog.ServerThreadsUnavailable(_logger, error ?? "cannot start");
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
        _engine.Start(now, _actions);
        // The host's own schedules start with the engine's, whether or not the engine has anything due.
        long next = RunHostSchedules(now);
        return ArmTimer(Math.Min(CarryOut(), next));
    }

    // The schedules the host keeps beside the engine's: the reference clock drivers (RefclockDrivers) and
    // systemd's watchdog. Returns the earliest of their next deadlines.
    private long RunHostSchedules(LoopTime now)
    {
        long next = Notifier?.OnTimer(now.Mono) ?? long.MaxValue;
        if (Refclocks is { } refclocks)
        {
            next = Math.Min(next, refclocks.OnTimer(now, _engine, _actions, Executor.ClockActions.ReadPendingSlew()));
        }

        return next;
    }

    public long OnTimer(LoopTime now)
    {
        _now = now;
        _wakeDeadline = long.MaxValue;
        Executor.ClockActions.OnDeadline(now.Mono);
        // Finished lookups first: a server or pool member mobilized now polls in this very timer.
        Resolver?.Drain(_onResolved);
        long next = Math.Min(_engine.OnTimer(now, _actions), RunHostSchedules(now));

        CarryOut();
        CountHandoffDrops();
        ServerLoops?.Publish(_engine);
        return ArmTimer(Math.Min(next, Executor.ClockActions.Deadline));
    }

    /// <summary>The end of a frequency slew that a reply started, or a deadline a datagram brought
    /// forward (an association mobilized or a name queued by ntpq :config), whichever comes first.</summary>
    public long WakeDeadline => Math.Min(_wakeDeadline, _executor?.ClockActions.Deadline ?? long.MaxValue);

    private void OnResolved(ResolveResult result) => _engine.OnResolved(result.Token, result.Addresses, result.Error, _now, _actions);

    private long ArmTimer(long deadline)
    {
        _armedDeadline = deadline;
        return deadline;
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

        if (_groupSockets.Contains(socket))
        {
            ReadGroup(socket);
            return;
        }

        _engine.Control.Host.Wakeups++;
        _path.Serve(socket, _serverSockets.IndexOf(socket), _engine.Server, this);
        // A query may have changed what the extra loops serve (ntpq :config restrict ...).
        ServerLoops?.Publish(_engine);
    }

    /// <summary>An extra loop handed over datagrams: each goes through the server path's Route, as if
    /// received here (at most <see cref="ServerDatagramPath.MaxDatagramsPerWakeup"/> per ring; a ring
    /// with more wakes the loop again at once).</summary>
    public void OnWakeup()
    {
        if (ServerLoops is not { } loops)
        {
            return;
        }

        bool more = false;
        IReadOnlyList<DatagramHandoff> handoffs = loops.Handoffs;
        for (int i = 0; i < handoffs.Count; i++)
        {
            DatagramHandoff handoff = handoffs[i];
            handoff.TakeWakeRequest();
            HandedOverServed += _path.ServeHandedOver(handoff, _serverSockets, this, ServerDatagramPath.MaxDatagramsPerWakeup);
            more |= !handoff.IsEmpty;
        }

        CountHandoffDrops();
        loops.Publish(_engine);
        if (more)
        {
            _signals?.Wake();
        }
    }

    // ntpq iostats "dropped packets": datagrams the extra loops could not hand over (full ring).
    private void CountHandoffDrops()
    {
        if (ServerLoops is { } loops)
        {
            long dropped = loops.HandoffDropped;
            _engine.Control.Host.Dropped += dropped - _handoffDroppedCounted;
            _handoffDroppedCounted = dropped;
        }
    }

    /// <summary>Server replies sent and refused, in the host's and the interface's counters.</summary>
    private void CountSent(ControlInterface? counters, int sent, int failed)
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

    /// <summary>One pass of the server path: iostats and ifstats. The Engine counts the datagrams it
    /// was handed (Route) itself; the client requests the path answered are counted here.</summary>
    void IServerPathOwner.Count(int socketIndex, in ServerPathPass pass)
    {
        ControlInterface? counters = (uint)socketIndex < (uint)_interfaceCounters.Count ? _interfaceCounters[socketIndex] : null;
        ReceiveErrors += pass.ReceiveErrors;
        if (pass.Received > 0)
        {
            _engine.Control.Host.UsefulWakeups++;
            _engine.Control.Host.Received += pass.TimeRequests;
            if (counters is not null)
            {
                counters.Received += pass.Received;
            }
        }

        CountSent(counters, pass.Sent, pass.Failed);
    }

    void IServerPathOwner.Trace(int length, in NativeSocketAddress source, ServerDecision decision) =>
        DaemonLog.Packet(_logger, length, source.ToString(), decision.ToString());

    /// <summary>A datagram on a server socket that is not a plain client request (or one an extra loop
    /// handed over), handed to the Engine. A time reply or KoD is written into <paramref name="reply"/>;
    /// returns its length, 0 when nothing is to be sent from it (query answers go out through the
    /// executor at once). <paramref name="stampTransmit"/> is true for a reply whose transmit
    /// timestamp the path writes just before sending (a KoD keeps the request's: it must not tell the
    /// client our time).</summary>
    int IServerPathOwner.Route(in ServerDatagram datagram, in NativeSocketAddress source, Span<byte> reply, out bool stampTransmit, out SymmetricKey? macKey,
        out long transmitOffsetNanoseconds)
    {
        CountHandoffDrops();
        _answerSocket = datagram.Socket;
        _source = source;
        var context = DatagramContext.ForServer(_source.ToClientAddress(), NtpTimestamp.FromUnixNanoseconds(datagram.ReceiveReal), datagram.ReceiveMono, datagram.Data, Executor);
        DatagramResult result = _engine.OnDatagram(context, reply, _actions);
        if (result.Disposition is DatagramDisposition.Answered or DatagramDisposition.Association)
        {
            CarryOutAfterDatagram();
        }

        if (_debugPackets && result.Decision is { } decision)
        {
            DaemonLog.Packet(_logger, datagram.Length, _source.ToString(), decision.ToString());
        }

        stampTransmit = result.StampTransmit;
        macKey = result.MacKey;
        transmitOffsetNanoseconds = result.TransmitOffsetNanoseconds;
        return result.Disposition is DatagramDisposition.Reply or DatagramDisposition.Kod ? result.ReplyLength : 0;
    }

    /// <summary>Datagrams on an association's own socket, each handed to the Engine with a fresh loop time.</summary>
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

                break;
            }

            long receiveReal = kernelStamp != 0 ? _clock.MapKernelRealtime(kernelStamp) : _clock.ReadRealtimeNanoseconds();
            var now = new LoopTime(_clock.ReadMonotonicNanoseconds(), NtpTimestamp.FromUnixNanoseconds(_clock.ReadRealtimeNanoseconds()));
            var datagram = DatagramContext.ForAssociation(association.Id, _source.ToClientAddress(), NtpTimestamp.FromUnixNanoseconds(receiveReal), now,
                _receiveBuffer.AsSpan(0, Math.Min(length, ReceiveBufferSize)), Executor);
            if (_engine.OnDatagram(datagram, _replyBuffer, _actions).Disposition == DatagramDisposition.Association)
            {
                CarryOutAfterDatagram();
            }
        }

        ServerLoops?.Publish(_engine);
    }

    /// <summary>Joins the multicast groups of `multicastclient` and `manycastserver` on every multicast-capable
    /// interface that is up (one socket bound to GROUP:port each), and for a broadcast client without an IPv4
    /// wildcard socket binds each IPv4 interface's broadcast address; server sockets then receive only the groups
    /// they joined themselves (none). Each socket is logged as ntpd logs its interfaces; failures are logged
    /// and skipped.</summary>
    public void BindGroups(IReadOnlyList<IPAddress> groups, bool broadcastClient, int port)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Count == 0 && !broadcastClient)
        {
            return;
        }

        foreach (UdpSocket server in _serverSockets)
        {
            server.ReceiveOnlyOwnGroups();
        }

        foreach (IPAddress group in groups)
        {
            UdpSocket? socket = UdpSocket.TryBind(new IPEndPoint(group, port), reuseAddress: true, out string? error);
            if (socket is null)
            {
                DaemonLog.BindFailed(_logger, $"multicast group {group}: {error}");
                continue;
            }

            var joined = new List<string>();
            foreach ((int index, string name) in MulticastInterfaces(group.AddressFamily))
            {
                if (socket.JoinGroup(group, index) == 0)
                {
                    joined.Add(name);
                }
            }

            if (joined.Count == 0 && socket.JoinGroup(group, 0) == 0)
            {
                joined.Add("default");
            }

            if (joined.Count == 0)
            {
                DaemonLog.BindFailed(_logger, $"multicast group {group}: no interface could join it");
                socket.Dispose();
                continue;
            }

            AddGroupSocket(socket, $"multicast {group} on {string.Join(',', joined)}");
        }

        bool ipv4Wildcard = _serverSockets.Exists(static s => s.LocalEndPoint.Address.Equals(IPAddress.Any));
        if (broadcastClient && !ipv4Wildcard)
        {
            foreach ((IPAddress broadcast, string name) in BroadcastAddresses())
            {
                if (UdpSocket.TryBind(new IPEndPoint(broadcast, port), reuseAddress: true, out string? error) is { } socket)
                {
                    AddGroupSocket(socket, $"broadcast {broadcast} on {name}");
                }
                else
                {
                    DaemonLog.BindFailed(_logger, $"broadcast address {broadcast}: {error}");
                }
            }
        }
    }

    private void AddGroupSocket(UdpSocket socket, string description)
    {
        _sockets.Add(socket);
        _groupSockets.Add(socket);
        DaemonLog.Info(_logger, $"Listen for {description} ({socket.LocalEndPoint})");
        SocketsVersion++;
    }

    // Interfaces that are up and can multicast, with their index, for one address family.
    private static List<(int Index, string Name)> MulticastInterfaces(System.Net.Sockets.AddressFamily family)
    {
        var result = new List<(int, string)>();
        try
        {
            foreach (System.Net.NetworkInformation.NetworkInterface nic in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Down || !nic.SupportsMulticast)
                {
                    continue;
                }

                System.Net.NetworkInformation.IPInterfaceProperties properties = nic.GetIPProperties();
                int index = family == System.Net.Sockets.AddressFamily.InterNetworkV6
                    ? properties.GetIPv6Properties()?.Index ?? -1
                    : properties.GetIPv4Properties()?.Index ?? -1;
                if (index > 0)
                {
                    result.Add((index, nic.Name));
                }
            }
        }
        catch (System.Net.NetworkInformation.NetworkInformationException)
        {
            // No interface list: the caller falls back to the kernel's choice.
        }

        return result;
    }

    // The broadcast address (address | ~mask) of every IPv4 address of an interface that is up, loopback excepted.
    private static List<(IPAddress Broadcast, string Name)> BroadcastAddresses()
    {
        var result = new List<(IPAddress, string)>();
        try
        {
            foreach (System.Net.NetworkInformation.NetworkInterface nic in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Down
                    || nic.NetworkInterfaceType == System.Net.NetworkInformation.NetworkInterfaceType.Loopback)
                {
                    continue;
                }

                foreach (System.Net.NetworkInformation.UnicastIPAddressInformation unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    if (unicast.Address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || unicast.PrefixLength >= 31)
                    {
                        continue;
                    }

                    uint address = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(unicast.Address.GetAddressBytes());
                    uint host = uint.MaxValue >> unicast.PrefixLength;
                    byte[] bytes = new byte[4];
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, address | host);
                    result.Add((new IPAddress(bytes), nic.Name));
                }
            }
        }
        catch (System.Net.NetworkInformation.NetworkInformationException)
        {
            // No interface list: no broadcast sockets.
        }

        return result;
    }

    /// <summary>Datagrams on a group socket, each handed to the Engine; a manycast server's reply is stamped,
    /// signed when the request was, and sent back from the same socket.</summary>
    private void ReadGroup(UdpSocket socket)
    {
        for (int i = 0; i < MaxDatagramsPerWakeup; i++)
        {
            if (!socket.TryReceive(_receiveBuffer, ref _source, out int length, out long kernelStamp, out int errno))
            {
                if (errno != 0)
                {
                    ReceiveErrors++;
                }

                break;
            }

            long receiveReal = kernelStamp != 0 ? _clock.MapKernelRealtime(kernelStamp) : _clock.ReadRealtimeNanoseconds();
            var now = new LoopTime(_clock.ReadMonotonicNanoseconds(), NtpTimestamp.FromUnixNanoseconds(_clock.ReadRealtimeNanoseconds()));
            var datagram = DatagramContext.ForGroup(_source.ToClientAddress(), NtpTimestamp.FromUnixNanoseconds(receiveReal), now,
                _receiveBuffer.AsSpan(0, Math.Min(length, ReceiveBufferSize)), Executor);
            DatagramResult result = _engine.OnDatagram(datagram, _replyBuffer, _actions);
            if (result.Disposition == DatagramDisposition.Reply)
            {
                SendGroupReply(socket, result);
            }

            if (result.Disposition is DatagramDisposition.Association or DatagramDisposition.Reply or DatagramDisposition.Kod)
            {
                CarryOutAfterDatagram();
            }
        }

        ServerLoops?.Publish(_engine);
    }

    private void SendGroupReply(UdpSocket socket, in DatagramResult result)
    {
        Span<byte> reply = _replyBuffer;
        if (result.StampTransmit)
        {
            long now = _clock.ReadRealtimeNanoseconds() + result.TransmitOffsetNanoseconds;
            new NtpTimestamp(NtpTimestamp.FromUnixNanoseconds(now).Raw & ~1UL).Write(reply[NtpHeader.TransmitTimeOffset..]);
        }

        int length = result.MacKey is { } key ? PacketMac.Append(key, reply, result.ReplyLength) : result.ReplyLength;
        bool failed = socket.Send(reply[..length], ref _source) != 0;
        CountSent(null, failed ? 0 : 1, failed ? 1 : 0);
    }

    /// <summary>Carries out the actions of the last Engine call and clears them; returns the deadline they named.</summary>
    private long CarryOut()
    {
        long deadline = _actions.NextDeadline;
        Executor.CarryOut(_actions);
        _actions.Clear();
        return deadline;
    }

    // After a datagram: a deadline earlier than the armed one (an association mobilized or a name queued
    // by ntpq :config) is the loop's wake-up.
    private void CarryOutAfterDatagram()
    {
        long deadline = CarryOut();
        if (deadline < _armedDeadline)
        {
            _wakeDeadline = Math.Min(_wakeDeadline, deadline);
        }
    }

    /// <summary>Writes the drift file once more (at exit), if the Engine knows the frequency.</summary>
    public void SaveDriftFile()
    {
        _engine.Stop(_actions);
        CarryOut();
    }

    SendResult IDatagramSender.SendToAssociation(int associationId, ReadOnlySpan<byte> packet)
    {
        if (!_associationSocketsById.TryGetValue(associationId, out AssociationSocket? association))
        {
            return SendResult.NoSocket;
        }

        // An association's own socket asks the kernel for the request's transmit stamp: T1 as the datagram
        // left, not as the loop read the clock before sending (the executor marked that one already). On
        // loopback and most NICs the stamp is there at once; otherwise the software T1 stands.
        bool stamped = !association.SharesServerSocket && association.Socket.TransmitStamps is not null;
        int error = stamped
            ? association.Socket.SendAskingTransmitStamp(packet, ref association.RemoteAddress)
            : association.Socket.Send(packet, ref association.RemoteAddress);
        if (error != 0)
        {
            SendErrors++;
            return SendResult.Failed;
        }

        if (stamped && association.Socket.TransmitStamps!.TryTakeLatest(out long kernelStamp))
        {
            _engine.MarkSent(associationId, NtpTimestamp.FromUnixNanoseconds(_clock.MapKernelRealtime(kernelStamp)));
        }

        return SendResult.Sent;
    }

    void IDatagramSender.SendAnswer(ReadOnlySpan<byte> datagram)
    {
        if (_answerSocket is not { } socket)
        {
            return;
        }

        bool failed = socket.Send(datagram, ref _source) != 0;
        int index = _serverSockets.IndexOf(socket);
        CountSent(index >= 0 ? _interfaceCounters[index] : null, failed ? 0 : 1, failed ? 1 : 0);
    }

    // One client socket per association, on a random ephemeral port (RFC 9109); a symmetric peer sends
    // from a server socket instead (port 123, where the peer's own packets arrive and are routed to the
    // association), ephemeral only when no server socket of the peer's family exists.
    void IDatagramSender.OpenAssociationSocket(int associationId, IPEndPoint remote, string name, AssociationSocketOptions options)
    {
        if (options.FromNtpPort && ServerSocketToward(remote) is { } server)
        {
            if (options.ToGroup)
            {
                PrepareGroupSend(server, remote, options.Ttl);
            }

            _associationSocketsById[associationId] = new AssociationSocket(associationId, server, remote) { SharesServerSocket = true };
            _engine.Control.Host.AssociationSockets[associationId] = AddressKnownBy(server.LocalEndPoint, remote);
            return;
        }

        var local = new IPEndPoint(remote.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        UdpSocket? socket = UdpSocket.TryBind(local, reuseAddress: false, out string? error);
        if (socket is null)
        {
            DaemonLog.BindFailed(_logger, $"association {associationId} ({name}): {error}");
            return;
        }

        if (options.ToGroup)
        {
            PrepareGroupSend(socket, remote, options.Ttl);
        }

        var association = new AssociationSocket(associationId, socket, remote);
        _sockets.Add(socket);
        _associationSockets[socket] = association;
        _associationSocketsById[associationId] = association;
        _engine.Control.Host.AssociationSockets[associationId] = AddressKnownBy(socket.LocalEndPoint, remote);
        SocketsVersion++;
    }

    // A socket that sends to a broadcast address or multicast group: SO_BROADCAST, the multicast time-to-live
    // (ntpd's default 127), and for a socket bound to one address the multicast interface that carries it.
    private void PrepareGroupSend(UdpSocket socket, IPEndPoint remote, byte? ttl)
    {
        bool multicast = remote.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? remote.Address.IsIPv6Multicast
            : (remote.Address.GetAddressBytes()[0] & 0xF0) == 0xE0;
        if (!multicast)
        {
            if (!socket.EnableBroadcast())
            {
                DaemonLog.BindFailed(_logger, $"broadcast to {remote.Address}: SO_BROADCAST refused");
            }

            return;
        }

        _ = socket.SetMulticastTtl(ttl ?? Stratum.Core.Config.AssociationConfig.DefaultMulticastTtl);
        IPAddress bound = socket.LocalEndPoint.Address;
        if (!bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any) && InterfaceIndexOf(bound) is int index)
        {
            _ = socket.SetMulticastInterface(index);
        }
    }

    // The index of the interface that carries <paramref name="address"/>, or null.
    private static int? InterfaceIndexOf(IPAddress address)
    {
        try
        {
            foreach (System.Net.NetworkInformation.NetworkInterface nic in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
            {
                System.Net.NetworkInformation.IPInterfaceProperties properties = nic.GetIPProperties();
                foreach (System.Net.NetworkInformation.UnicastIPAddressInformation unicast in properties.UnicastAddresses)
                {
                    if (unicast.Address.Equals(address))
                    {
                        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                            ? properties.GetIPv6Properties()?.Index
                            : properties.GetIPv4Properties()?.Index;
                    }
                }
            }
        }
        catch (System.Net.NetworkInformation.NetworkInformationException)
        {
            // Unknown: the kernel routes.
        }

        return null;
    }

    // The local end of a socket as the remote end sees it: a socket bound to the wildcard address sends from
    // the address the kernel chooses toward the remote (what ntpq shows as dstadr, and what the orphan-parent
    // election compares).
    private static IPEndPoint AddressKnownBy(IPEndPoint bound, IPEndPoint remote) =>
        (bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any)) && KernelSourceToward(remote) is { } source
            ? new IPEndPoint(source, bound.Port)
            : bound;

    // The server socket a symmetric peer sends from: of the peer's family, bound to the source address
    // the kernel would choose toward the peer if one is (the peer knows us by it), else to the wildcard
    // address, else to a loopback address for a loopback peer and a non-loopback one otherwise.
    private UdpSocket? ServerSocketToward(IPEndPoint remote)
    {
        IPAddress? source = KernelSourceToward(remote);
        UdpSocket? best = null;
        int bestRank = -1;
        foreach (UdpSocket socket in _serverSockets)
        {
            IPEndPoint local = socket.LocalEndPoint;
            if (local.AddressFamily != remote.AddressFamily)
            {
                continue;
            }

            // Toward a loopback peer the kernel always picks 127.0.0.1 (::1); several daemons on one host
            // (tests, labs) are told apart by the other loopback addresses they listen on: prefer those.
            bool ownLoopback = IPAddress.IsLoopback(remote.Address) && IPAddress.IsLoopback(local.Address)
                && !local.Address.Equals(IPAddress.Loopback) && !local.Address.Equals(IPAddress.IPv6Loopback);
            int rank = ownLoopback ? 4
                : local.Address.Equals(source) ? 3
                : local.Address.Equals(IPAddress.Any) || local.Address.Equals(IPAddress.IPv6Any) ? 2
                : IPAddress.IsLoopback(local.Address) == IPAddress.IsLoopback(remote.Address) ? 1 : 0;
            if (rank > bestRank)
            {
                (best, bestRank) = (socket, rank);
            }
        }

        return best;
    }

    // The kernel's source address toward the peer: a connected probe socket's local address (no packet
    // is sent); null when there is no route.
    private static IPAddress? KernelSourceToward(IPEndPoint remote)
    {
        try
        {
            using var probe = new System.Net.Sockets.Socket(remote.AddressFamily, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
            if (remote.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            {
                // A broadcast address can be connected to only with SO_BROADCAST.
                probe.EnableBroadcast = true;
            }

            probe.Connect(remote);
            return (probe.LocalEndPoint as IPEndPoint)?.Address;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    void IDatagramSender.CloseAssociationSocket(int associationId)
    {
        if (_associationSocketsById.Remove(associationId, out AssociationSocket? association) && association.SharesServerSocket)
        {
            _engine.Control.Host.AssociationSockets.Remove(associationId);
        }
        else if (association is not null)
        {
            _associationSockets.Remove(association.Socket);
            _sockets.Remove(association.Socket);
            _engine.Control.Host.AssociationSockets.Remove(associationId);
            association.Socket.Dispose();
            SocketsVersion++;
        }
    }

    void ILogSink.Notice(in EngineNotice notice)
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
                DaemonLog.FatalCondition(_logger, notice.Text);
                FatalError = notice.Text;
                // ntpd exits on a fatal condition (the panic threshold): stop the loop.
                _signals?.RequestStop(FatalStopSignal);
                break;
            default: DaemonLog.EngineInfo(_logger, notice.Text); break;
        }
    }

    void ILogSink.ClockReport(in ClockActionReport report)
    {
        if (report.Failed)
        {
            DaemonLog.ClockWriteFailed(_logger, report.Text);
        }
        else
        {
            DaemonLog.EngineInfo(_logger, report.Text);
        }
    }

    void ILogSink.Error(string text) => DaemonLog.ActionFailed(_logger, text);

    public void Dispose()
    {
        foreach (UdpSocket socket in _sockets)
        {
            socket.Dispose();
        }

        _sockets.Clear();
        _serverSockets.Clear();
        _path.Dispose();
        Statistics?.Dispose();
        Refclocks?.Dispose();
    }
}
