// RestrictionTable: ntpd 4.2.8's restriction list (accopt.html, "Access Control Support"),
// compiled once from the restrict lines into an immutable table and looked up per packet without
// allocating. Semantics kept from ntpd:
// - each family has a default entry; without any "restrict default" it has no flags, so
//   everything is allowed; "restrict default" without -4/-6 sets both families;
// - "restrict ADDRESS [mask MASK]" (host mask when none); the entry whose mask is longest among
//   those matching the source wins (ntpd's "sorted list, last match");
// - repeated lines for the same address, mask and ntpport-ness add their flags together, as
//   ntpd's hack_restrict does for an existing entry;
// - `ntpport` is a match modifier: such an entry matches only source port 123 and outranks the
//   entry without it for the same address and mask; it is not a restriction itself;
// - "restrict source" is a template (the last such line counts) copied to a host entry for each
//   configured association address, unless a configured entry for that exact host exists (with or
//   without ntpport: ntpd's restrict_source leaves the address alone then);
// - each of this host's own addresses gets an "ignore, ntpport" entry that outranks everything
//   at that address, so ntpd never answers its own packets (accopt.html, last paragraph);
// - a multicast source address is always ignored (and, as in ntpd, counted on no entry);
// - every lookup counts a hit on the entry that decided it (ntpd's restrictions() bumps the
//   matching entry's count for each received packet; ntpq reslist shows it).
// Lookups: RestrictFamilyTable (O(log n) binary searches by prefix length, no allocation; the hit
// is one Interlocked increment, so a table may be looked up from several threads).
// Entries are listed (reslist) in configuration order: each entry where the first line that made
// it stood, then the built-in default entries no line configured, then "restrict source" entries,
// then interface entries. Deviation: ntpd lists each family's entries sorted by descending address
// and mask, IPv4 first; the configuration order reads like ntp.conf, which is what an operator
// compares the list with. Counts live in the table; a recompile (new association or interface
// addresses, restrict lines from ntpq :config) carries each entry's count over by (family, masked
// address, mask, kind of entry) through CarryHitsFrom, as ntpd's entries keep theirs in place.
using System.Diagnostics.CodeAnalysis;
using Stratum.Core.Config;

namespace Stratum.Engine.Access;

/// <summary>The compiled restrict list of both families.</summary>
public sealed class RestrictionTable
{
    private readonly RestrictFamilyTable _v4;
    private readonly RestrictFamilyTable _v6;
    private readonly long[] _hits;
    private readonly Dictionary<EntryKey, int> _indexByKey;

    private RestrictionTable(RestrictFamilyTable v4, RestrictFamilyTable v6, IReadOnlyList<RestrictEntry> entries, long[] hits, Dictionary<EntryKey, int> indexByKey)
    {
        _v4 = v4;
        _v6 = v6;
        _hits = hits;
        _indexByKey = indexByKey;
        Entries = entries;
        foreach (RestrictEntry entry in entries)
        {
            if ((entry.Flags & RestrictFlags.Limited) != 0)
            {
                AnyLimited = true;
            }
        }
    }

    /// <summary>No restrict lines: ntpd's built-in defaults, every source allowed everything.</summary>
    public static RestrictionTable Unrestricted { get; } = Compile([]);

    /// <summary>Every entry, in configuration order (see the file header; display only).</summary>
    public IReadOnlyList<RestrictEntry> Entries { get; }

    /// <summary>True when some entry has <c>limited</c>.</summary>
    public bool AnyLimited { get; }

    internal RestrictFamilyTable IPv4 => _v4;

    internal RestrictFamilyTable IPv6 => _v6;

    /// <summary>Packets that <see cref="Entries"/>[<paramref name="index"/>] decided (ntpd's hit count).</summary>
    public long HitsAt(int index) => Interlocked.Read(ref _hits[index]);

    /// <summary>Packets that this table's entry for the same family, address, mask and kind as
    /// <paramref name="entry"/> decided; 0 when the table has no such entry.</summary>
    public long HitsOf(RestrictEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _indexByKey.TryGetValue(EntryKey.Of(entry), out int index) ? HitsAt(index) : 0;
    }

    /// <summary>Takes over the counts of <paramref name="previous"/>'s entries that this table also
    /// has (same family, address, mask and kind), right after compiling, before any lookup. Counts a
    /// thread adds to <paramref name="previous"/> meanwhile are lost, so the owner swaps tables on
    /// the thread that looks them up (AccessControl).</summary>
    internal void CarryHitsFrom(RestrictionTable previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        for (int i = 0; i < Entries.Count; i++)
        {
            _hits[i] = previous.HitsOf(Entries[i]);
        }
    }

    /// <summary>The restrictions for a packet from <paramref name="source"/> (address and port);
    /// counts a hit on the entry that decided them.</summary>
    public RestrictMatch Match(in ClientAddress source)
    {
        if (source.IsMulticast || source.Family == ClientAddressFamily.None)
        {
            return new RestrictMatch(RestrictFlags.Ignore, RestrictOrigin.Invalid, 0);
        }

        bool fromNtpPort = source.Port == ClientAddress.NtpPort;
        return source.Family == ClientAddressFamily.IPv4 ? _v4.Match(source.Value, fromNtpPort) : _v6.Match(source.Value, fromNtpPort);
    }

    /// <summary>Compiles restrict lines (in file order) into a table.</summary>
    /// <param name="rules">The restrict lines, as parsed.</param>
    /// <param name="sourceAddresses">Addresses of configured associations, for "restrict source".</param>
    /// <param name="interfaceAddresses">This host's own addresses (the listening ones).</param>
    public static RestrictionTable Compile(
        IEnumerable<RestrictRule> rules,
        IEnumerable<ClientAddress>? sourceAddresses = null,
        IEnumerable<ClientAddress>? interfaceAddresses = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var v4 = new Dictionary<(UInt128, UInt128), RestrictSlot>();
        var v6 = new Dictionary<(UInt128, UInt128), RestrictSlot>();
        var order = new List<EntryKey>();
        RestrictFlags? sourceTemplate = null;
        foreach (RestrictRule rule in rules)
        {
            bool ntpPortOnly = (rule.Flags & RestrictFlags.NtpPort) != 0;
            RestrictFlags flags = rule.Flags & ~RestrictFlags.NtpPort;
            RestrictRank rank = ntpPortOnly ? RestrictRank.StaticNtpPort : RestrictRank.Static;
            switch (rule.Target)
            {
                case RestrictTarget.Default:
                    if (rule.Family != AddressFamilyHint.IPv6)
                    {
                        Merge(v4, order, new EntryKey(ClientAddressFamily.IPv4, 0, 0, rank), flags);
                    }

                    if (rule.Family != AddressFamilyHint.IPv4)
                    {
                        Merge(v6, order, new EntryKey(ClientAddressFamily.IPv6, 0, 0, rank), flags);
                    }

                    break;
                case RestrictTarget.Address when rule.Address is not null && rule.Mask is not null:
                    ClientAddress address = ClientAddress.From(rule.Address);
                    ClientAddress mask = ClientAddress.From(rule.Mask);
                    if (address.Family != ClientAddressFamily.None && address.Family == mask.Family)
                    {
                        Merge(address.Family == ClientAddressFamily.IPv4 ? v4 : v6, order,
                            new EntryKey(address.Family, address.Value & mask.Value, mask.Value, rank), flags);
                    }

                    break;
                case RestrictTarget.Source:
                    sourceTemplate = rule.Flags;
                    break;
            }
        }

        // ntpd's built-in default entries: no flags, unless a "restrict default" line gave some.
        Merge(v4, order, new EntryKey(ClientAddressFamily.IPv4, 0, 0, RestrictRank.Static), RestrictFlags.None);
        Merge(v6, order, new EntryKey(ClientAddressFamily.IPv6, 0, 0, RestrictRank.Static), RestrictFlags.None);
        if (sourceTemplate is RestrictFlags template)
        {
            RestrictRank rank = (template & RestrictFlags.NtpPort) != 0 ? RestrictRank.SourceNtpPort : RestrictRank.Source;
            foreach (ClientAddress source in sourceAddresses ?? [])
            {
                if (TryHostKey(source, rank, v4, v6, out Dictionary<(UInt128, UInt128), RestrictSlot>? table, out EntryKey key)
                    && !(table.TryGetValue((key.Address, key.Mask), out RestrictSlot configured)
                        && (configured.Has(RestrictRank.Static) || configured.Has(RestrictRank.StaticNtpPort))))
                {
                    Set(table, order, key, template & ~RestrictFlags.NtpPort);
                }
            }
        }

        foreach (ClientAddress own in interfaceAddresses ?? [])
        {
            if (TryHostKey(own, RestrictRank.Interface, v4, v6, out Dictionary<(UInt128, UInt128), RestrictSlot>? table, out EntryKey key))
            {
                Set(table, order, key, RestrictFlags.Ignore);
            }
        }

        return Build(v4, v6, order);
    }

    /// <summary>Lists the entries in <paramref name="order"/>, gives each its hit-count cell (its
    /// index; one spare last cell, shared by both families, for lookups no entry decides) and
    /// builds the lookups.</summary>
    private static RestrictionTable Build(
        Dictionary<(UInt128, UInt128), RestrictSlot> v4,
        Dictionary<(UInt128, UInt128), RestrictSlot> v6,
        List<EntryKey> order)
    {
        var entries = new List<RestrictEntry>(order.Count);
        var indexByKey = new Dictionary<EntryKey, int>(order.Count);
        var v4Cells = new Dictionary<(UInt128, UInt128, RestrictRank), int>();
        var v6Cells = new Dictionary<(UInt128, UInt128, RestrictRank), int>();
        foreach (EntryKey key in order)
        {
            bool isV4 = key.Family == ClientAddressFamily.IPv4;
            RestrictSlot slot = (isV4 ? v4 : v6)[(key.Address, key.Mask)];
            RestrictOrigin origin = key.Rank switch
            {
                RestrictRank.Interface => RestrictOrigin.Interface,
                RestrictRank.Source or RestrictRank.SourceNtpPort => RestrictOrigin.Source,
                _ when key.Mask == 0 => RestrictOrigin.Default,
                _ => RestrictOrigin.Address,
            };
            bool ntpPortOnly = key.Rank is RestrictRank.Interface or RestrictRank.StaticNtpPort or RestrictRank.SourceNtpPort;
            indexByKey.Add(key, entries.Count);
            (isV4 ? v4Cells : v6Cells).Add((key.Address, key.Mask, key.Rank), entries.Count);
            entries.Add(new RestrictEntry(key.Family, key.Address, key.Mask, slot.Get(key.Rank), ntpPortOnly, origin));
        }

        // Cells: one per entry, then a spare one (lookups that no entry decided; never listed).
        var hits = new long[entries.Count + 1];
        return new RestrictionTable(
            new RestrictFamilyTable(32, v4, v4Cells, hits),
            new RestrictFamilyTable(128, v6, v6Cells, hits),
            entries.AsReadOnly(),
            hits,
            indexByKey);
    }

    private static bool TryHostKey(
        in ClientAddress address,
        RestrictRank rank,
        Dictionary<(UInt128, UInt128), RestrictSlot> v4,
        Dictionary<(UInt128, UInt128), RestrictSlot> v6,
        [NotNullWhen(true)] out Dictionary<(UInt128, UInt128), RestrictSlot>? table,
        out EntryKey key)
    {
        table = address.Family switch
        {
            ClientAddressFamily.IPv4 => v4,
            ClientAddressFamily.IPv6 => v6,
            _ => null,
        };
        key = new EntryKey(address.Family, address.Value, RestrictFamilyTable.PrefixMask(address.Width, address.Width), rank);
        return table is not null && !address.IsMulticast;
    }

    /// <summary>Adds flags to an entry (ntpd ORs repeated lines), listing it where it first appears.</summary>
    private static void Merge(Dictionary<(UInt128, UInt128), RestrictSlot> table, List<EntryKey> order, EntryKey key, RestrictFlags flags)
    {
        table.TryGetValue((key.Address, key.Mask), out RestrictSlot slot);
        if (!slot.Has(key.Rank))
        {
            order.Add(key);
        }

        slot.Merge(key.Rank, flags);
        table[(key.Address, key.Mask)] = slot;
    }

    /// <summary>Sets an entry's flags, replacing any it had, listing it where it first appears.</summary>
    private static void Set(Dictionary<(UInt128, UInt128), RestrictSlot> table, List<EntryKey> order, EntryKey key, RestrictFlags flags)
    {
        table.TryGetValue((key.Address, key.Mask), out RestrictSlot slot);
        if (!slot.Has(key.Rank))
        {
            order.Add(key);
        }

        slot.Set(key.Rank, flags);
        table[(key.Address, key.Mask)] = slot;
    }

    /// <summary>What identifies an entry across recompiles: family, masked address, mask and kind.</summary>
    private readonly record struct EntryKey(ClientAddressFamily Family, UInt128 Address, UInt128 Mask, RestrictRank Rank)
    {
        public static EntryKey Of(RestrictEntry entry)
        {
            RestrictRank rank = entry.Origin switch
            {
                RestrictOrigin.Interface => RestrictRank.Interface,
                RestrictOrigin.Source => entry.NtpPortOnly ? RestrictRank.SourceNtpPort : RestrictRank.Source,
                _ => entry.NtpPortOnly ? RestrictRank.StaticNtpPort : RestrictRank.Static,
            };
            return new EntryKey(entry.Family, entry.Address, entry.Mask, rank);
        }
    }
}
