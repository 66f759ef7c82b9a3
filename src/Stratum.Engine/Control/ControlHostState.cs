// ControlHostState: what only the host (DaemonHost) knows and mode 6/7 report: the listening
// interfaces (ifstats), I/O counters (iostats), the local end of each association's socket
// (dstadr/dstport) and the system flags of sysinfo (the restrict list of reslist is the Engine's
// own: AccessControl). The host fills it on the loop thread; without a host every list is empty
// and every count zero.
// The kernel discipline's state is read through ReadKernelLoop when a k* variable is asked for.
using System.Net;

namespace Stratum.Engine.Control;

/// <summary>One listening socket as ifstats shows it.</summary>
public sealed record ControlInterface(string Name, IPEndPoint Address)
{
    /// <summary>When the socket was bound (monotonic ns), for ifstats uptime; null when unknown.</summary>
    public long? StartMono { get; init; }

    public long Received { get; set; }

    public long Sent { get; set; }

    public long SendErrors { get; set; }
}

/// <summary>Host facts and counters for the control protocols. Loop thread only.</summary>
public sealed class ControlHostState
{
    public List<ControlInterface> Interfaces { get; } = [];

    /// <summary>Local endpoint of an association's socket by association id, when the host knows it.</summary>
    public Dictionary<int, IPEndPoint> AssociationSockets { get; } = [];

    /// <summary>Datagrams read from any socket.</summary>
    public long Received { get; set; }

    /// <summary>Datagrams sent (time replies, control replies and association polls).</summary>
    public long Sent { get; set; }

    /// <summary>Sends that failed.</summary>
    public long SendFailures { get; set; }

    /// <summary>Datagrams dropped before parsing (iostats "dropped packets"): with --server-threads,
    /// those an extra loop could not hand to the main loop because its queue was full.</summary>
    public long Dropped { get; set; }

    /// <summary>Wake-ups for a readable server socket, and those that found a datagram.</summary>
    public long Wakeups { get; set; }

    public long UsefulWakeups { get; set; }

    /// <summary>enable/disable flags for sysinfo: auth, monitor, kernel, stats (ntp comes from the Engine).</summary>
    public bool Authenticate { get; set; } = true;

    /// <summary>`enable bclient` (broadcastclient, multicastclient): broadcast servers are listened to.</summary>
    public bool BroadcastClient { get; set; }

    /// <summary>`enable monitor` (ntpd's default): the MRU list of clients is kept.</summary>
    public bool Monitor { get; set; } = true;

    /// <summary>`enable ntp`: the daemon disciplines the clock.</summary>
    public bool Ntp { get; set; }

    public bool Kernel { get; set; } = true;

    public bool Statistics { get; set; } = true;

    /// <summary>Reads the kernel discipline's state (read-only), for the k* variables; null when the
    /// clock has no kernel discipline (simulated or virtual clocks), and the variables read zero.</summary>
    public Func<KernelLoopState?>? ReadKernelLoop { get; set; }

    /// <summary>`enable mode7`: answer ntpdc's read-only mode 7 requests.</summary>
    public bool Mode7Enabled { get; set; }
}
