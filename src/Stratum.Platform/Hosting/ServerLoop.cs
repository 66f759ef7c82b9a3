// ServerLoop: one extra event loop of ntpd --server-threads (ARCHITECTURE.md §4, optional
// SO_REUSEPORT mode): a single thread with its own sockets (members of the server sockets'
// SO_REUSEPORT groups, in the main loop's order) running the one server datagram path
// (ServerDatagramPath) with its own batches and its own time server: a ServerResponder over a
// private SystemVariables and a private AccessControl, both following the main loop's latest
// ServerSnapshot (system variables, restrict inputs, keys) from the next wake-up after it is
// published — so restrict lines added at run time apply here too, while its MRU list and rate
// limits count only the clients the kernel's hash sends to this loop. It answers plain client
// requests (mode 3) only; every other datagram (modes 6 and 7 the steering program missed,
// symmetric packets, replies, NTPv1) goes to the main loop through this loop's DatagramHandoff,
// whose news wakes the main loop through its eventfd; a full hand-over ring drops and counts. It
// never touches associations, the clock or the control state, and has no timers; its clock is
// only read (clock_gettime, safe on any thread). Nothing on its packet path allocates. Its stop
// flag carries an eventfd, so the main loop stops it at once (this mode is never simulated).
using Stratum.Core.Auth;
using Stratum.Engine;
using Stratum.Engine.Access;
using Stratum.Engine.Server;
using Stratum.Engine.SystemState;
using Stratum.Platform.Clock;
using Stratum.Platform.Loop;
using Stratum.Platform.Net;

namespace Stratum.Platform.Hosting;

/// <summary>An extra single-threaded loop that serves time from a snapshot.</summary>
internal sealed class ServerLoop : IEventLoopHandler, IServerPathOwner, IDisposable
{
    private readonly ServerLoopGroup _group;
    private readonly IClockDriver _clock;
    private readonly SystemVariables _system;
    private readonly List<UdpSocket> _sockets;
    private readonly ServerDatagramPath _path;
    private ServerSnapshot? _applied;
    private bool _handedOver;

    public ServerLoop(ServerLoopGroup group, IClockDriver clock, List<UdpSocket> sockets, sbyte precision, AccessControl access, int ioBatch, TransmitStamping stamping)
    {
        _group = group;
        _clock = clock;
        _sockets = sockets;
        _system = new SystemVariables(precision);
        Server = new ServerResponder(_system, access);
        _path = new ServerDatagramPath(clock, ioBatch, stamping);
        Handoff = new DatagramHandoff(DatagramHandoff.DefaultCapacity, ServerDatagramPath.ReceiveSlotSize);
    }

    public ServerResponder Server { get; }

    /// <summary>Datagrams for the main loop.</summary>
    public DatagramHandoff Handoff { get; }

    /// <summary>This loop's own stop flag; the group raises it when the main loop ends, and its eventfd
    /// wakes the loop at once (the group disposes it once the thread has ended).</summary>
    public ShutdownSignals Signals { get; } = ShutdownSignals.WithWakeup();

    public long SendErrors { get; private set; }

    public long ReceiveErrors { get; private set; }

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
        _handedOver = false;
        _path.Serve(socket, _sockets.IndexOf(socket), Server, this);
        if (_handedOver && Handoff.RequestWake())
        {
            _group.WakeMainLoop();
        }
    }

    /// <summary>Not a plain client request: the main loop's (the ring copies it; nothing to send here).</summary>
    int IServerPathOwner.Route(in ServerDatagram datagram, in NativeSocketAddress source, Span<byte> reply, out bool stampTransmit, out SymmetricKey? macKey,
        out long transmitOffsetNanoseconds)
    {
        stampTransmit = false;
        macKey = null;
        transmitOffsetNanoseconds = 0;
        _handedOver |= Handoff.TryAdd(datagram.SocketIndex, datagram.Data, datagram.Length, source, datagram.ReceiveReal, datagram.ReceiveMono);
        return 0;
    }

    void IServerPathOwner.Count(int socketIndex, in ServerPathPass pass)
    {
        SendErrors += pass.Failed;
        ReceiveErrors += pass.ReceiveErrors;
    }

    /// <summary>Adopts the main loop's latest snapshot when it changed (one reference compare otherwise).</summary>
    private void Refresh()
    {
        ServerSnapshot latest = _group.Latest;
        if (!ReferenceEquals(latest, _applied))
        {
            latest.ApplyTo(_system, Server);
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
        _path.Dispose();
    }
}
