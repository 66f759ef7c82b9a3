// MruOptions: the "mru" command (ntpd 4.2.8 accopt.html "mru [maxdepth N] [maxmem KB]
// [mindepth N] [maxage S] [initalloc N] [initmem KB] [incalloc N] [incmem KB]"): sizing of the
// most-recently-used client list. Null means "not given: use the default".
namespace Stratum.Core.Config;

/// <summary>MRU list sizing from mru lines.</summary>
public sealed record MruOptions
{
    public static MruOptions Default { get; } = new();

    /// <summary><c>maxdepth</c>: most entries.</summary>
    public int? MaxDepth { get; init; }

    /// <summary><c>maxmem</c>: most memory, in KiB (sets maxdepth).</summary>
    public int? MaxMemoryKib { get; init; }

    /// <summary><c>mindepth</c>: entries always kept, whatever their age.</summary>
    public int? MinDepth { get; init; }

    /// <summary><c>maxage</c>: entries older than this many seconds may be recycled.</summary>
    public int? MaxAgeSeconds { get; init; }

    /// <summary><c>initalloc</c>: entries allocated at start.</summary>
    public int? InitialAllocation { get; init; }

    /// <summary><c>initmem</c>: memory allocated at start, in KiB.</summary>
    public int? InitialMemoryKib { get; init; }

    /// <summary><c>incalloc</c>: entries added when the list grows.</summary>
    public int? IncrementAllocation { get; init; }

    /// <summary><c>incmem</c>: memory added when the list grows, in KiB.</summary>
    public int? IncrementMemoryKib { get; init; }
}
