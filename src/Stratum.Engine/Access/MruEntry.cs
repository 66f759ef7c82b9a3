// MruEntry: one client's slot in the MRU list — who it is, when it was first and last heard
// from, how often, and the rate-limit state (ntpd's headway score, the next leak-reply time, the
// control-query budget). A plain struct in a preallocated array: updating it never allocates.
// The links are array indices (-1 for none) so the LRU order needs no objects either.
using Stratum.Core.Config;
using Stratum.Core.Time;

namespace Stratum.Engine.Access;

/// <summary>Mutable per-client record, owned by <see cref="MruList"/>.</summary>
internal struct MruEntry
{
    // Field order packs the struct to 112 bytes (see MruList.BytesPerEntry): the address, the
    // 4-byte fields, the byte, then the 8-byte fields.

    /// <summary>The host, with the source port of its latest packet.</summary>
    public ClientAddress Address;

    /// <summary>The keyed hash of the host, for the index.</summary>
    public uint Hash;

    /// <summary>The next more recently used entry, or -1.</summary>
    public int Newer;

    /// <summary>The next less recently used entry, or -1.</summary>
    public int Older;

    public int Count;

    /// <summary>ntpd's headway score in seconds ("leak" in ntp_monitor): grows by 2^average per packet, drains 1 per second.</summary>
    public int Score;

    /// <summary>Restrict flags that matched the latest packet.</summary>
    public RestrictFlags Flags;

    /// <summary>The latest packet's version and mode (first byte without the leap bits).</summary>
    public byte VersionMode;

    public long FirstMono;
    public long LastMono;
    public NtpTimestamp FirstSeen;
    public NtpTimestamp LastSeen;

    /// <summary>Monotonic time from which a rate-limited client may get its next leak reply.</summary>
    public long NextLeakMono;

    /// <summary>Theoretical arrival time of the control-query rate limiter (GCRA), monotonic ns.</summary>
    public long QueryArrival;
}
