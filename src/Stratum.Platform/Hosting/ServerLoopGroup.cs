// ServerLoopGroup: the extra server loops of ntpd --server-threads N (ARCHITECTURE.md §4, optional
// SO_REUSEPORT mode, off by default, never simulated). For each of N loops it binds one more member
// of every server socket's SO_REUSEPORT group (the main loop's sockets joined first, so they are
// member 0, where ReusePortSteering sends modes 6 and 7), builds the loop's private time server, and
// runs the loop on its own thread; each loop runs the same ServerDatagramPath as the main loop. The
// main loop publishes a ServerSnapshot (system variables, restrict inputs, keys) whenever any of it
// changed; the loops adopt it at their next wake-up. What a loop does not answer itself it hands to
// the main loop through its DatagramHandoff ring and the main loop's eventfd (WakeMainLoop); the
// main loop drains the rings (Handoffs) on that wake-up. Stopping raises each loop's own stop flag,
// whose eventfd wakes the loop at once, joins the threads, bounded, and frees the rings. Limits:
// per-loop MRU lists and rate limits (a client hashed to one loop is counted there only); the main
// loop's mode 6 counters see only its own share of time requests (restrict hit counts excepted:
// each loop counts in its own table and reslist sums them; hand-over drops are in io_dropped); not
// with --virtual-clock (that clock's state is the main loop's), which ntpd refuses.
using Microsoft.Extensions.Logging;
using Stratum.Engine;
using Stratum.Engine.Access;
using Stratum.Platform.Clock;
using Stratum.Platform.Logging;
using Stratum.Platform.Loop;
using Stratum.Platform.Net;

namespace Stratum.Platform.Hosting;

/// <summary>Extra single-threaded loops answering time requests on SO_REUSEPORT sockets.</summary>
public sealed class ServerLoopGroup : IDisposable
{
    /// <summary>Most extra loops (ntpd --server-threads).</summary>
    public const int MaxLoops = 64;

    private static readonly TimeSpan s_joinTimeout = TimeSpan.FromSeconds(3);

    private readonly List<ServerLoop> _loops = [];
    private readonly List<Thread> _threads = [];
    private readonly List<DatagramHandoff> _handoffs = [];
    private readonly ShutdownSignals? _mainWakeup;
    private volatile ServerSnapshot _latest;

    private ServerLoopGroup(NtpEngine engine, ShutdownSignals? mainWakeup)
    {
        _latest = ServerSnapshot.From(engine.System, engine.Server);
        _mainWakeup = mainWakeup;
    }

    internal ServerSnapshot Latest => _latest;

    /// <summary>The loops (tests drive them when their threads were not started).</summary>
    internal IReadOnlyList<ServerLoop> Loops => _loops;

    /// <summary>Each loop's ring of datagrams for the main loop, in loop order.</summary>
    internal IReadOnlyList<DatagramHandoff> Handoffs => _handoffs;

    /// <summary>Datagrams the loops handed to the main loop, and those dropped on a full ring.</summary>
    public long HandedOver => Sum(static handoff => handoff.HandedOver);

    public long HandoffDropped => Sum(static handoff => handoff.Dropped);

    /// <summary>The extra loops' time servers (counters; read them only after Dispose).</summary>
    internal IEnumerable<Stratum.Engine.Server.ServerResponder> Servers
    {
        get
        {
            foreach (ServerLoop loop in _loops)
            {
                yield return loop.Server;
            }
        }
    }

    /// <summary>Binds and starts <paramref name="count"/> loops beside <paramref name="serverSockets"/>
    /// (bound with SO_REUSEPORT); null and an error message when a socket cannot be bound.</summary>
    /// <param name="mainWakeup">The main loop's flags, whose eventfd (ShutdownSignals.EnableWakeup)
    /// the loops write when they hand it a datagram; null when the main loop drains by itself.</param>
    public static ServerLoopGroup? TryStart(int count, IReadOnlyList<UdpSocket> serverSockets, NtpEngine engine, int ioBatch, TransmitStamping stamping, ILogger logger, out string? error,
        ShutdownSignals? mainWakeup = null) =>
        TryStart(count, serverSockets, engine, ioBatch, stamping, logger, out error, mainWakeup, steerControl: true, startThreads: true, loopClock: null);

    /// <summary><see cref="TryStart(int, IReadOnlyList{UdpSocket}, NtpEngine, int, TransmitStamping, ILogger, out string?, ShutdownSignals?)"/>
    /// with the choices tests make.</summary>
    /// <param name="steerControl">Attach the program that steers modes 6 and 7 to the main loop's
    /// sockets (off: the loops receive some and hand them over).</param>
    /// <param name="startThreads">Run each loop on its own thread (off: the caller drives the loops,
    /// <see cref="Loops"/>, on its own thread).</param>
    /// <param name="loopClock">The loops' clock (default: an observe-only driver each).</param>
    internal static ServerLoopGroup? TryStart(int count, IReadOnlyList<UdpSocket> serverSockets, NtpEngine engine, int ioBatch, TransmitStamping stamping, ILogger logger, out string? error,
        ShutdownSignals? mainWakeup, bool steerControl, bool startThreads, IClockDriver? loopClock)
    {
        ArgumentNullException.ThrowIfNull(serverSockets);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxLoops);
        var group = new ServerLoopGroup(engine, mainWakeup);
        foreach (UdpSocket socket in serverSockets)
        {
            int errno = steerControl ? ReusePortSteering.AttachControlToFirstMember(socket) : 0;
            if (errno != 0)
            {
                DaemonLog.Info(logger, $"--server-threads: cannot steer modes 6/7 to the main loop on {socket.LocalEndPoint} (errno {errno}); the extra loops hand them over");
            }
        }

        AccessSettings settings = engine.Server.Access?.Settings ?? AccessSettings.Default;
        var random = new CryptoRandomSource();
        for (int i = 0; i < count; i++)
        {
            var sockets = new List<UdpSocket>();
            foreach (UdpSocket main in serverSockets)
            {
                UdpSocket? member = UdpSocket.TryBind(main.LocalEndPoint, reuseAddress: true, reusePort: true, out error);
                if (member is null)
                {
                    foreach (UdpSocket bound in sockets)
                    {
                        bound.Dispose();
                    }

                    group.Dispose();
                    return null;
                }

                sockets.Add(member);
            }

            // The restrict inputs and keys come with the first snapshot (OnStart), and with every later one.
            var access = new AccessControl(settings, random.NextUInt64());
            // ntpq reslist: the main loop sums this loop's restrict hits with its own.
            engine.Server.Access?.IncludeHitsOf(access);
            var loop = new ServerLoop(group, loopClock ?? new ObserveOnlyClockDriver(), sockets, engine.System.Precision, access, ioBatch, stamping);
            group._loops.Add(loop);
            group._handoffs.Add(loop.Handoff);
        }

        for (int i = 0; i < group._loops.Count && startThreads; i++)
        {
            ServerLoop loop = group._loops[i];
            var thread = new Thread(loop.Run) { IsBackground = true, Name = $"ntpd server loop {i + 1}" };
            group._threads.Add(thread);
            thread.Start();
        }

        error = null;
        return group;
    }

    /// <summary>Main loop: publishes the server state (system variables, restrict inputs, keys) when
    /// it changed since the last call; the loops adopt it at their next wake-up. Allocates only on a
    /// change (a clock update, a restrict line, an association), never per packet.</summary>
    public void Publish(NtpEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (!_latest.Matches(engine.System, engine.Server))
        {
            _latest = ServerSnapshot.From(engine.System, engine.Server);
        }
    }

    /// <summary>An extra loop: wakes the main loop to drain the rings (nothing without its eventfd).</summary>
    internal void WakeMainLoop() => _mainWakeup?.Wake();

    private long Sum(Func<DatagramHandoff, long> count)
    {
        long total = 0;
        for (int i = 0; i < _handoffs.Count; i++)
        {
            total += count(_handoffs[i]);
        }

        return total;
    }

    /// <summary>Stops the loops and waits for their threads (at most 3 s each; the stop flag's eventfd
    /// wakes them at once).</summary>
    public void Dispose()
    {
        foreach (ServerLoop loop in _loops)
        {
            loop.Signals.RequestStop(15);
        }

        bool allStopped = true;
        foreach (Thread thread in _threads)
        {
            allStopped &= thread.Join(s_joinTimeout);
        }

        if (allStopped)
        {
            // A loop that ran has closed its sockets on its own thread; this covers loops never started.
            foreach (ServerLoop loop in _loops)
            {
                loop.Dispose();
                loop.Signals.Dispose();
                loop.Handoff.Dispose();
            }
        }
    }
}
