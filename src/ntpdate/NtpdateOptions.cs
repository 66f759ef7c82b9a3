// NtpdateOptions: ntpdate's settings after parsing and validation (ntpdate 4.2.8's getopt string
// "46a:bBde:k:o:p:qst:uv"). Samples default to 1 with -q and 4 otherwise, as in 4.2.8.
using System.Net.Sockets;

namespace Stratum.Tools.Ntpdate;

/// <summary>Validated ntpdate command-line settings.</summary>
internal sealed record NtpdateOptions
{
    /// <summary>-4 / -6 (the last one given wins); Unspecified for both families.</summary>
    public AddressFamily Family { get; init; } = AddressFamily.Unspecified;

    /// <summary>-b: always step.</summary>
    public bool AlwaysStep { get; init; }

    /// <summary>-B: always slew.</summary>
    public bool NeverStep { get; init; }

    /// <summary>-d, repeatable: debug output, and the clock is never changed.</summary>
    public int DebugLevel { get; init; }

    /// <summary>-q: query only.</summary>
    public bool QueryOnly { get; init; }

    /// <summary>-s: log to syslog instead of the terminal.</summary>
    public bool UseSyslog { get; init; }

    /// <summary>-u: send from an unprivileged port even when setting the clock.</summary>
    public bool UnprivilegedPort { get; init; }

    /// <summary>-v: log the version.</summary>
    public bool Verbose { get; init; }

    /// <summary>-a: authentication key number; null without -a.</summary>
    public uint? AuthenticationKey { get; init; }

    /// <summary>-e: authentication delay in units of 2^-32 s, added to T1 of signed requests (with -a).</summary>
    public uint AuthenticationDelayFraction { get; init; }

    /// <summary>-k: keys file for -a.</summary>
    public string KeyFile { get; init; } = "/etc/ntp.keys";

    /// <summary>-o: NTP version to send, 1..4.</summary>
    public byte Version { get; init; } = 4;

    /// <summary>-p: samples per server, 1..8.</summary>
    public int Samples { get; init; } = 4;

    /// <summary>-t: per-request timeout in nanoseconds (multiple of 0.2 s, at least 1 s).</summary>
    public long TimeoutNanoseconds { get; init; } = 2_000_000_000;

    /// <summary>Server names or addresses, in command-line order.</summary>
    public IReadOnlyList<string> Servers { get; init; } = [];

    /// <summary>True when the clock will not be touched (-q or -d).</summary>
    public bool QueryOnlyOrDebug => QueryOnly || DebugLevel > 0;
}
