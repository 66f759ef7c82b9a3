// RestrictFamilyTable: the compiled restriction list of one address family, searched without
// allocating. ntpd 4.2.8 (accopt.html) keeps one list sorted by address, then mask, and the last
// match wins; for masks that are prefixes that is exactly "the longest matching mask wins".
// Prefixes nest or are disjoint, so their starts and ends cut the address space into at most
// 2n + 1 ranges inside which every address is covered by the same prefixes. The table resolves
// each range once, when compiled (for source port 123 and for any other port, since `ntpport`
// entries match only the former), and a lookup is one binary search for the range holding the
// address: O(log n) in the number of entries, whatever the mix of mask lengths. The default entry
// (length 0) covers everything, so every lookup ends with a match.
// Non-contiguous masks (legal in ntpd, e.g. 255.0.255.0) are kept in a short side list scanned
// linearly after the range search and compared in ntpd's own order (masked address, then mask,
// greater wins); real configurations have none, so it costs nothing there.
// Hit counts (ntpd's per-entry count, ntpq reslist's hits): each (address, mask, rank) entry has a
// cell in a counter array the owning RestrictionTable supplies; a resolved range knows the cell of
// the entry that decides it, so a lookup adds one Interlocked increment and nothing else (a table
// may be shared by threads, e.g. RestrictionTable.Unrestricted). A lookup that no entry decides
// (a family whose only entries are `ntpport` ones, from another port) counts in a spare last cell.
using Stratum.Core.Config;

namespace Stratum.Engine.Access;

/// <summary>One family's restriction entries, ready for lookups.</summary>
internal sealed class RestrictFamilyTable
{
    private readonly PrefixLevel[] _levels;
    private readonly IrregularEntry[] _irregular;
    private readonly UInt128[] _rangeStarts;
    private readonly Resolution[] _resolutions;
    private readonly int[] _ntpPortResolution;
    private readonly int[] _otherPortResolution;
    private readonly long[] _hits;
    private readonly int _unmatchedCell;
    private readonly IReadOnlyDictionary<(UInt128 Address, UInt128 Mask, RestrictRank Rank), int> _cells;

    /// <param name="width">32 or 128.</param>
    /// <param name="slots">Entries by (masked address, mask); must contain (0, 0), the default.</param>
    /// <param name="cells">The hit-count cell of each entry, by (masked address, mask, rank).</param>
    /// <param name="hits">The counters; its last cell counts lookups that no entry decided.</param>
    public RestrictFamilyTable(
        int width,
        IReadOnlyDictionary<(UInt128 Address, UInt128 Mask), RestrictSlot> slots,
        IReadOnlyDictionary<(UInt128 Address, UInt128 Mask, RestrictRank Rank), int> cells,
        long[] hits)
    {
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(hits);
        ArgumentOutOfRangeException.ThrowIfZero(hits.Length);
        _cells = cells;
        _hits = hits;
        _unmatchedCell = hits.Length - 1;
        var byLength = new SortedDictionary<int, List<(UInt128 Key, RestrictSlot Slot)>>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        var irregular = new List<IrregularEntry>();
        foreach (KeyValuePair<(UInt128 Address, UInt128 Mask), RestrictSlot> pair in slots)
        {
            int length = PrefixLengthOf(pair.Key.Mask, width);
            if (length < 0)
            {
                irregular.Add(new IrregularEntry(pair.Key.Address, pair.Key.Mask, pair.Value, CellsByRank(pair.Key.Address, pair.Key.Mask)));
                continue;
            }

            if (!byLength.TryGetValue(length, out List<(UInt128, RestrictSlot)>? level))
            {
                level = [];
                byLength.Add(length, level);
            }

            level.Add((pair.Key.Address, pair.Value));
        }

        if (!byLength.ContainsKey(0))
        {
            throw new ArgumentException("the default entry (address 0, mask 0) is missing", nameof(slots));
        }

        _levels = new PrefixLevel[byLength.Count];
        int index = 0;
        foreach ((int length, List<(UInt128 Key, RestrictSlot Slot)> entries) in byLength)
        {
            entries.Sort((a, b) => a.Key.CompareTo(b.Key));
            var keys = new UInt128[entries.Count];
            var levelSlots = new RestrictSlot[entries.Count];
            for (int i = 0; i < entries.Count; i++)
            {
                (keys[i], levelSlots[i]) = entries[i];
            }

            _levels[index++] = new PrefixLevel(length, PrefixMask(length, width), keys, levelSlots);
        }

        _irregular = [.. irregular];
        (_rangeStarts, _resolutions, _ntpPortResolution, _otherPortResolution) = BuildRanges(width);
    }

    /// <summary>Lengths with at least one entry, longest first (tests and diagnostics).</summary>
    public IEnumerable<int> PrefixLengths
    {
        get
        {
            foreach (PrefixLevel level in _levels)
            {
                yield return level.Length;
            }
        }
    }

    /// <summary>Ranges the address space is cut into (tests and diagnostics).</summary>
    public int RangeCount => _rangeStarts.Length;

    /// <summary>The restrictions for an address; counts a hit on the entry that decided them.</summary>
    public RestrictMatch Match(UInt128 address, bool fromNtpPort)
    {
        int range = FindRange(_rangeStarts, address);
        Resolution resolved = _resolutions[fromNtpPort ? _ntpPortResolution[range] : _otherPortResolution[range]];
        if (_irregular.Length == 0)
        {
            Interlocked.Increment(ref _hits[resolved.Cell]);
            return resolved.Match;
        }

        RestrictMatch match = resolved.Match;
        int cell = resolved.Cell;
        (UInt128 bestAddress, UInt128 bestMask) = (resolved.Address, resolved.Mask);
        foreach (IrregularEntry entry in _irregular)
        {
            bool ranksHigher = entry.Address > bestAddress || (entry.Address == bestAddress && entry.Mask > bestMask);
            if (ranksHigher && (address & entry.Mask) == entry.Address
                && entry.Slot.TryResolve(fromNtpPort, out RestrictFlags irregularFlags, out RestrictRank irregularRank))
            {
                match = new RestrictMatch(irregularFlags, OriginOf(irregularRank, -1), -1);
                cell = entry.CellsByRank[(int)irregularRank];
                (bestAddress, bestMask) = (entry.Address, entry.Mask);
            }
        }

        Interlocked.Increment(ref _hits[cell]);
        return match;
    }

    /// <summary>The hit-count cell of an entry, or the spare cell when it has none.</summary>
    private int CellOf(UInt128 address, UInt128 mask, RestrictRank rank) =>
        _cells.TryGetValue((address, mask, rank), out int cell) ? cell : _unmatchedCell;

    private int[] CellsByRank(UInt128 address, UInt128 mask)
    {
        var cells = new int[(int)RestrictRank.Source + 1];
        for (RestrictRank rank = RestrictRank.Interface; rank <= RestrictRank.Source; rank++)
        {
            cells[(int)rank] = CellOf(address, mask, rank);
        }

        return cells;
    }

    /// <summary>The longest-prefix search by levels, used once per range while compiling.</summary>
    private Resolution ResolveByLevels(UInt128 address, bool fromNtpPort)
    {
        RestrictFlags flags = RestrictFlags.None;
        RestrictRank rank = RestrictRank.Static;
        int length = 0;
        UInt128 bestAddress = 0;
        UInt128 bestMask = 0;
        int cell = _unmatchedCell;
        foreach (PrefixLevel level in _levels)
        {
            UInt128 key = address & level.Mask;
            int found = Find(level.Keys, key);
            if (found >= 0 && level.Slots[found].TryResolve(fromNtpPort, out flags, out rank))
            {
                length = level.Length;
                bestAddress = key;
                bestMask = level.Mask;
                cell = CellOf(key, level.Mask, rank);
                break;
            }
        }

        return new Resolution(new RestrictMatch(flags, OriginOf(rank, length), length), bestAddress, bestMask, cell);
    }

    private static RestrictOrigin OriginOf(RestrictRank rank, int length) => rank switch
    {
        RestrictRank.Interface => RestrictOrigin.Interface,
        RestrictRank.Source or RestrictRank.SourceNtpPort => RestrictOrigin.Source,
        _ when length == 0 => RestrictOrigin.Default,
        _ => RestrictOrigin.Address,
    };

    /// <summary>Cuts the space at every prefix start and end + 1 and resolves each range for both
    /// port classes; equal resolutions are shared.</summary>
    private (UInt128[] Starts, Resolution[] Resolutions, int[] NtpPort, int[] OtherPort) BuildRanges(int width)
    {
        UInt128 top = width == 128 ? UInt128.MaxValue : (UInt128.One << width) - 1;
        var cuts = new SortedSet<UInt128> { 0 };
        foreach (PrefixLevel level in _levels)
        {
            foreach (UInt128 start in level.Keys)
            {
                cuts.Add(start);
                UInt128 end = start | (top & ~level.Mask);
                if (end != top)
                {
                    cuts.Add(end + 1);
                }
            }
        }

        var resolutions = new List<Resolution>();
        var known = new Dictionary<Resolution, int>();
        var starts = new UInt128[cuts.Count];
        var ntpPort = new int[cuts.Count];
        var otherPort = new int[cuts.Count];
        int index = 0;
        foreach (UInt128 start in cuts)
        {
            starts[index] = start;
            ntpPort[index] = Intern(ResolveByLevels(start, fromNtpPort: true));
            otherPort[index] = Intern(ResolveByLevels(start, fromNtpPort: false));
            index++;
        }

        return (starts, [.. resolutions], ntpPort, otherPort);

        int Intern(Resolution resolution)
        {
            if (!known.TryGetValue(resolution, out int id))
            {
                id = resolutions.Count;
                resolutions.Add(resolution);
                known.Add(resolution, id);
            }

            return id;
        }
    }

    /// <summary>The mask with the top <paramref name="length"/> of <paramref name="width"/> bits set.</summary>
    public static UInt128 PrefixMask(int length, int width)
    {
        if (length <= 0)
        {
            return 0;
        }

        UInt128 all = width == 128 ? UInt128.MaxValue : (UInt128.One << width) - 1;
        return (all << (width - length)) & all;
    }

    /// <summary>The prefix length of a contiguous mask, or -1 for a mask with holes.</summary>
    public static int PrefixLengthOf(UInt128 mask, int width)
    {
        int length = (int)UInt128.PopCount(mask);
        return PrefixMask(length, width) == mask ? length : -1;
    }

    /// <summary>Index of the last range start at or below <paramref name="address"/> (starts[0] is 0).</summary>
    private static int FindRange(UInt128[] starts, UInt128 address)
    {
        int low = 0;
        int high = starts.Length - 1;
        while (low < high)
        {
            int middle = low + ((high - low + 1) >> 1);
            if (starts[middle] <= address)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    private static int Find(UInt128[] keys, UInt128 key)
    {
        int low = 0;
        int high = keys.Length - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) >> 1);
            UInt128 candidate = keys[middle];
            if (candidate == key)
            {
                return middle;
            }

            if (candidate < key)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }

    private readonly record struct PrefixLevel(int Length, UInt128 Mask, UInt128[] Keys, RestrictSlot[] Slots);

    /// <summary>An entry with a non-contiguous mask; <paramref name="CellsByRank"/> holds its hit-count cells by rank.</summary>
    private readonly record struct IrregularEntry(UInt128 Address, UInt128 Mask, RestrictSlot Slot, int[] CellsByRank);

    /// <summary>A resolved match, the address/mask of the entry it came from (for the irregular
    /// comparison) and that entry's hit-count cell.</summary>
    private readonly record struct Resolution(RestrictMatch Match, UInt128 Address, UInt128 Mask, int Cell);
}
