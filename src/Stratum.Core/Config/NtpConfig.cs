// NtpConfig: everything an ntp.conf in ntpd 4.2.8's classic syntax says, as an immutable model
// (ntp.conf(5) and the 4.2.8 HTML pages: confopt, accopt, authopt, monopt, miscopt, refclock).
// It is produced by ConfigParser only; directives Stratum does not implement are warned about and
// left out. Paths are kept as written (relative ones are the daemon's to resolve).
namespace Stratum.Core.Config;

/// <summary>A parsed ntp.conf.</summary>
public sealed record NtpConfig
{
    /// <summary>A config with no lines: ntpd's defaults everywhere.</summary>
    public static NtpConfig Empty { get; } = new();

    // Associations and clocks.

    /// <summary>server, pool, peer, broadcast and manycastclient lines in file order (reference clocks excluded).</summary>
    public IReadOnlyList<AssociationConfig> Associations { get; init; } = [];

    /// <summary>multicastclient: the groups joined to hear broadcast servers (224.0.1.1 when a line names none).</summary>
    public IReadOnlyList<System.Net.IPAddress> MulticastClientGroups { get; init; } = [];

    /// <summary>manycastserver: the groups joined to answer manycast clients.</summary>
    public IReadOnlyList<System.Net.IPAddress> ManycastServerGroups { get; init; } = [];

    /// <summary>broadcastdelay: the delay (s, round trip) assumed for broadcasts, which skips the calibration
    /// volley; null measures it.</summary>
    public double? BroadcastDelay { get; init; }

    /// <summary>nts: Network Time Security as a server (NTPsec's directive).</summary>
    public NtsOptions Nts { get; init; } = NtsOptions.Default;

    /// <summary>Reference clocks (server 127.127.T.U) with their fudge values, in file order.</summary>
    public IReadOnlyList<RefClockConfig> RefClocks { get; init; } = [];

    // Access control and interfaces.

    /// <summary>restrict lines in file order.</summary>
    public IReadOnlyList<RestrictRule> Restrictions { get; init; } = [];

    /// <summary>interface / nic lines in file order, with ntpd's evaluation.</summary>
    public InterfaceRules InterfaceRules { get; init; } = InterfaceRules.None;

    /// <summary>discard: rate limits for limited clients.</summary>
    public DiscardOptions Discard { get; init; } = DiscardOptions.Default;

    /// <summary>mru: sizing of the client list.</summary>
    public MruOptions Mru { get; init; } = MruOptions.Default;

    // System behaviour.

    /// <summary>enable / disable flags.</summary>
    public SystemOptions System { get; init; } = SystemOptions.Default;

    /// <summary>tos: selection and orphan mode.</summary>
    public TosOptions Tos { get; init; } = TosOptions.Default;

    /// <summary>tinker: clock discipline constants.</summary>
    public TinkerOptions Tinker { get; init; } = TinkerOptions.Default;

    // Files.

    /// <summary>driftfile: where the frequency is saved, or null for none.</summary>
    public string? DriftFile { get; init; }

    /// <summary>logfile: where to log instead of syslog, or null.</summary>
    public string? LogFile { get; init; }

    /// <summary>logconfig: the words of every logconfig line, as written ("=syncall", "+clockall").</summary>
    public IReadOnlyList<string> LogConfig { get; init; } = [];

    /// <summary>pidfile: where to write the process id, or null.</summary>
    public string? PidFile { get; init; }

    /// <summary>leapfile: the leap-seconds file (NIST format), or null.</summary>
    public string? LeapFile { get; init; }

    /// <summary>leapfile ... checkhash (default) or ignorehash.</summary>
    public bool LeapFileCheckHash { get; init; } = true;

    /// <summary>statsdir: directory of the statistics files (a trailing '/' as written), or null.</summary>
    public string? StatsDirectory { get; init; }

    /// <summary>statistics: the sets named on statistics lines, without repeats, in order.</summary>
    public IReadOnlyList<StatisticsKind> Statistics { get; init; } = [];

    /// <summary>filegen: one merged entry per set named on filegen lines, in order of first mention.</summary>
    public IReadOnlyList<FilegenConfig> Filegens { get; init; } = [];

    // Authentication.

    /// <summary>keys: the symmetric keys file, or null.</summary>
    public string? KeysFile { get; init; }

    /// <summary>trustedkey: trusted key ids, ascending, without repeats.</summary>
    public IReadOnlyList<uint> TrustedKeys { get; init; } = [];

    /// <summary>controlkey: key id for mode 6 (ntpq) write requests, or null.</summary>
    public uint? ControlKey { get; init; }

    /// <summary>leapsmearinterval: seconds over which a leap second is smeared into the served time, or null (off).</summary>
    public int? LeapSmearInterval { get; init; }

    /// <summary>requestkey: key id for mode 7 (ntpdc) requests, or null.</summary>
    public uint? RequestKey { get; init; }

    /// <summary>
    /// True when <paramref name="kind"/> statistics are written: named by a statistics line or by
    /// a filegen line, unless a filegen line says disable (ntpd applies filegen after statistics).
    /// The global <c>disable stats</c> switch is separate (<see cref="SystemOptions.Statistics"/>).
    /// </summary>
    public bool IsStatisticsEnabled(StatisticsKind kind)
    {
        foreach (FilegenConfig filegen in Filegens)
        {
            if (filegen.Kind == kind)
            {
                return filegen.Enabled;
            }
        }

        foreach (StatisticsKind named in Statistics)
        {
            if (named == kind)
            {
                return true;
            }
        }

        return false;
    }
}
