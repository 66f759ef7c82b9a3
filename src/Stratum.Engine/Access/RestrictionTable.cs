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
//   configured association address, unless a configured entry for that exact host exists;
// - each of this host's own addresses gets an "ignore, ntpport" entry that outranks everything
//   at that address, so ntpd never answers its own packets (accopt.html, last paragraph);
// - a multicast source address is always ignored.
// Lookups: RestrictFamilyTable (O(log n) binary searches by prefix length, no allocation).
using Stratum.Core.Config;

namespace Stratum.Engine.Access;

/// <summary>The compiled restrict list of both families.</summary>
public sealed class RestrictionTable
{
    private readonly RestrictFamilyTable _v4;
    private readonly RestrictFamilyTable _v6;

    private RestrictionTable(RestrictFamilyTable v4, RestrictFamilyTable v6, IReadOnlyList<RestrictEntry> entries)
    {
        _v4 = v4;
        _v6 = v6;
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

    /// <summary>Every entry, IPv4 first, each family by mask length then address (display only).</summary>
    public IReadOnlyList<RestrictEntry> Entries { get; }

    /// <summary>True when some entry has <c>limited</c>.</summary>
    public bool AnyLimited { get; }

    internal RestrictFamilyTable IPv4 => _v4;

    internal RestrictFamilyTable IPv6 => _v6;

    /// <summary>The restrictions for a packet from <paramref name="source"/> (address and port).</summary>
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
        Merge(v4, (0, 0), RestrictRank.Static, RestrictFlags.None);
        Merge(v6, (0, 0), RestrictRank.Static, RestrictFlags.None);
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
                        Merge(v4, (0, 0), rank, flags);
                    }

                    if (rule.Family != AddressFamilyHint.IPv4)
                    {
                        Merge(v6, (0, 0), rank, flags);
                    }

                    break;
                case RestrictTarget.Address when rule.Address is not null && rule.Mask is not null:
                    ClientAddress address = ClientAddress.From(rule.Address);
                    ClientAddress mask = ClientAddress.From(rule.Mask);
                    if (address.Family != ClientAddressFamily.None && address.Family == mask.Family)
                    {
                        Merge(address.Family == ClientAddressFamily.IPv4 ? v4 : v6, (address.Value & mask.Value, mask.Value), rank, flags);
                    }

                    break;
                case RestrictTarget.Source:
                    sourceTemplate = rule.Flags;
                    break;
            }
        }

        if (sourceTemplate is RestrictFlags template)
        {
            RestrictRank rank = (template & RestrictFlags.NtpPort) != 0 ? RestrictRank.SourceNtpPort : RestrictRank.Source;
            foreach (ClientAddress source in sourceAddresses ?? [])
            {
                if (TryHostKey(source, out Dictionary<(UInt128, UInt128), RestrictSlot>? table, v4, v6, out (UInt128, UInt128) key))
                {
                    Set(table, key, rank, template & ~RestrictFlags.NtpPort);
                }
            }
        }

        foreach (ClientAddress own in interfaceAddresses ?? [])
        {
            if (TryHostKey(own, out Dictionary<(UInt128, UInt128), RestrictSlot>? table, v4, v6, out (UInt128, UInt128) key))
            {
                Set(table, key, RestrictRank.Interface, RestrictFlags.Ignore);
            }
        }

        var entries = new List<RestrictEntry>();
        AddEntries(entries, ClientAddressFamily.IPv4, v4);
        AddEntries(entries, ClientAddressFamily.IPv6, v6);
        return new RestrictionTable(new RestrictFamilyTable(32, v4), new RestrictFamilyTable(128, v6), entries.AsReadOnly());
    }

    private static bool TryHostKey(
        in ClientAddress address,
        out Dictionary<(UInt128, UInt128), RestrictSlot>? table,
        Dictionary<(UInt128, UInt128), RestrictSlot> v4,
        Dictionary<(UInt128, UInt128), RestrictSlot> v6,
        out (UInt128, UInt128) key)
    {
        table = address.Family switch
        {
            ClientAddressFamily.IPv4 => v4,
            ClientAddressFamily.IPv6 => v6,
            _ => null,
        };
        key = (address.Value, RestrictFamilyTable.PrefixMask(address.Width, address.Width));
        return table is not null && !address.IsMulticast;
    }

    private static void Merge(Dictionary<(UInt128, UInt128), RestrictSlot> table, (UInt128, UInt128) key, RestrictRank rank, RestrictFlags flags)
    {
        table.TryGetValue(key, out RestrictSlot slot);
        slot.Merge(rank, flags);
        table[key] = slot;
    }

    private static void Set(Dictionary<(UInt128, UInt128), RestrictSlot>? table, (UInt128, UInt128) key, RestrictRank rank, RestrictFlags flags)
    {
        if (table is null)
        {
            return;
        }

        table.TryGetValue(key, out RestrictSlot slot);
        slot.Set(rank, flags);
        table[key] = slot;
    }

    private static void AddEntries(List<RestrictEntry> entries, ClientAddressFamily family, Dictionary<(UInt128, UInt128), RestrictSlot> table)
    {
        var keys = new List<(UInt128 Address, UInt128 Mask)>(table.Keys);
        keys.Sort((a, b) => a.Mask != b.Mask ? a.Mask.CompareTo(b.Mask) : a.Address.CompareTo(b.Address));
        foreach ((UInt128 address, UInt128 mask) in keys)
        {
            RestrictSlot slot = table[(address, mask)];
            for (RestrictRank rank = RestrictRank.Interface; rank <= RestrictRank.Source; rank++)
            {
                if (!slot.Has(rank))
                {
                    continue;
                }

                RestrictOrigin origin = rank switch
                {
                    RestrictRank.Interface => RestrictOrigin.Interface,
                    RestrictRank.Source or RestrictRank.SourceNtpPort => RestrictOrigin.Source,
                    _ when mask == 0 => RestrictOrigin.Default,
                    _ => RestrictOrigin.Address,
                };
                bool ntpPortOnly = rank is RestrictRank.Interface or RestrictRank.StaticNtpPort or RestrictRank.SourceNtpPort;
                entries.Add(new RestrictEntry(family, address, mask, slot.Get(rank), ntpPortOnly, origin));
            }
        }
    }
}
