// MruSettings: sizing and recycling of the MRU list, from "mru" and "discard monitor" (ntpd 4.2.8
// accopt.html and miscopt.html "mru"). ntpd's defaults: maxmem 1024 KiB (which sets maxdepth),
// mindepth 600, maxage 64 s, monitor 3000. The list's memory is allocated once, at its capacity:
// ntpd's initalloc/initmem/incalloc/incmem growth steps have nothing to tune here.
// Deviation: the capacity is capped at MaxCapacity entries whatever the configuration asks, so a
// typo such as "mru maxdepth 2000000000" cannot make the daemon allocate gigabytes.
using Stratum.Core.Config;

namespace Stratum.Engine.Access;

/// <summary>MRU list limits.</summary>
/// <param name="Capacity">Most entries (maxdepth, and maxmem over <see cref="MruList.BytesPerEntry"/>).</param>
/// <param name="MinDepth">Entries kept whatever their age.</param>
/// <param name="MaxAgeSeconds">Above mindepth, the oldest entry is recycled once older than this (negative: never).</param>
/// <param name="MonitorSeconds">When full, a new source replaces the oldest entry with probability age/monitor.</param>
public sealed record MruSettings(int Capacity, int MinDepth, int MaxAgeSeconds, int MonitorSeconds)
{
    public const int DefaultMaxMemoryKib = 1024;
    public const int DefaultMinDepth = 600;
    public const int DefaultMaxAgeSeconds = 64;
    public const int DefaultMonitorSeconds = 3000;

    /// <summary>Hard upper bound on entries (about 128 MiB).</summary>
    public const int MaxCapacity = 1 << 20;

    public static MruSettings Default { get; } = From(MruOptions.Default, DiscardOptions.Default);

    /// <summary>Translates the parsed mru and discard lines, filling in ntpd's defaults.</summary>
    public static MruSettings From(MruOptions mru, DiscardOptions discard)
    {
        ArgumentNullException.ThrowIfNull(mru);
        ArgumentNullException.ThrowIfNull(discard);
        long byMemory = (long)(mru.MaxMemoryKib ?? DefaultMaxMemoryKib) * 1024 / MruList.BytesPerEntry;
        long capacity = mru.MaxDepth is int depth
            ? (mru.MaxMemoryKib is null ? depth : Math.Min(depth, byMemory))
            : byMemory;
        int bounded = (int)Math.Clamp(capacity, 0, MaxCapacity);
        return new MruSettings(
            bounded,
            Math.Min(mru.MinDepth ?? DefaultMinDepth, bounded),
            mru.MaxAgeSeconds ?? DefaultMaxAgeSeconds,
            discard.Monitor ?? DefaultMonitorSeconds);
    }
}
