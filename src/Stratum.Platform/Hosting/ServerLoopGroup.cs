// ServerLoopGroup: the extra server loops of ntpd --server-threads N (ARCHITECTURE.md §4, optional
// SO_REUSEPORT mode, off by default, never simulated). For each of N loops it binds one more member
// of every server socket's SO_REUSEPORT group (the main loop's sockets joined first, so they are
// member 0, where ReusePortSteering sends modes 6 and 7), builds the loop's private time server, and
// runs the loop on its own thread. The main loop publishes a ServerSnapshot of the system variables
// whenever they change; the loops adopt it at their next wake-up. Stopping raises each loop's own
// stop flag, whose eventfd wakes the loop at once, and joins the threads, bounded. Limits: per-loop MRU
// lists and rate limits (a client hashed to one loop is counted there only); the main loop's mode 6
// counters see only its own share of time requests (restrict hit counts excepted: each loop counts
// in its own table and reslist sums them); not with --virtual-clock (that clock's state is the
// main loop's), which ntpd refuses.
using Microsoft.Extensions.Logging;
using Stratum.Engine;
using Stratum.Engine.Access;
using Stratum.Engine.Associations;
using Stratum.Engine.SystemState;
using Stratum.Platform.Clock;
using Stratum.Platform.Logging;
using Stratum.Platform.Net;

namespace Stratum.Platform.Hosting;

/// <summary>Extra single-threaded loops answering time requests on SO_REUSEPORT sockets.</summary>
public sealed class ServerLoopGroup : IDisposable
{
    /// <summary>Receive slot size, as the main loop's: larger than any datagram we accept.</summary>
    internal const int ReceiveSlotSize = 2048;

    /// <summary>Most extra loops (ntpd --server-threads).</summary>
    public const int MaxLoops = 64;

    private static readonly TimeSpan s_joinTimeout = TimeSpan.FromSeconds(3);

    private readonly List<ServerLoop> _loops = [];
    private readonly List<Thread> _threads = [];
    private volatile ServerSnapshot _latest;

    private ServerLoopGroup(SystemVariables system) => _latest = ServerSnapshot.From(system);

    internal ServerSnapshot Latest => _latest;

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
    public static ServerLoopGroup? TryStart(int count, IReadOnlyList<UdpSocket> serverSockets, NtpEngine engine, int ioBatch, TransmitStamping stamping, ILogger logger, out string? error)
    {
        ArgumentNullException.ThrowIfNull(serverSockets);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxLoops);
        var group = new ServerLoopGroup(engine.System);
        foreach (UdpSocket socket in serverSockets)
        {
            int errno = ReusePortSteering.AttachControlToFirstMember(socket);
            if (errno != 0)
            {
                DaemonLog.Info(logger, $"--server-threads: cannot steer modes 6/7 to the main loop on {socket.LocalEndPoint} (errno {errno}); the extra loops drop those");
            }
        }

        var sources = new List<ClientAddress>();
        foreach (RemoteSource source in engine.Sources.Sources)
        {
            sources.Add(ClientAddress.From(source.Association.Settings.Address.Address));
        }

        var own = new List<ClientAddress>();
        foreach (UdpSocket socket in serverSockets)
        {
            System.Net.IPAddress address = socket.LocalEndPoint.Address;
            if (!address.Equals(System.Net.IPAddress.Any) && !address.Equals(System.Net.IPAddress.IPv6Any))
            {
                own.Add(ClientAddress.From(address));
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

            var access = new AccessControl(settings, random.NextUInt64(), sources);
            access.SetInterfaceAddresses(own);
            // ntpq reslist: the main loop sums this loop's restrict hits with its own.
            engine.Server.Access?.IncludeHitsOf(access);
            group._loops.Add(new ServerLoop(group, new ObserveOnlyClockDriver(), sockets, engine.System.Precision, access,
                engine.Server.AnswerSymmetricActive, ioBatch, stamping, engine.Server.Keys));
        }

        for (int i = 0; i < group._loops.Count; i++)
        {
            ServerLoop loop = group._loops[i];
            var thread = new Thread(loop.Run) { IsBackground = true, Name = $"ntpd server loop {i + 1}" };
            group._threads.Add(thread);
            thread.Start();
        }

        error = null;
        return group;
    }

    /// <summary>Main loop: publishes the system variables when they changed since the last call.
    /// Allocates only on a change (a clock update), never per packet.</summary>
    public void Publish(SystemVariables system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (!_latest.Matches(system))
        {
            _latest = ServerSnapshot.From(system);
        }
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
            }
        }
    }
}
