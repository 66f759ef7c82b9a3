// The restrict list (ntpd 4.2.8 accopt.html): defaults per family, address/mask, most specific
// match, repeated lines, ntpport, "restrict source", interface entries, multicast, non-contiguous
// masks; a randomized comparison with a straightforward model of ntpd's sorted list; lookups
// allocate nothing; hit counts land on the deciding entry (ntpd's per-entry count, reslist hits),
// survive recompiles and add up across threads; entries are listed in configuration order.
using System.Diagnostics;
using System.Net;
using Stratum.Core.Config;
using Stratum.Engine.Access;

namespace Stratum.Engine.Tests.Access;

public class RestrictionTableTests(ITestOutputHelper output)
{
    private const string Campus = """
        restrict default kod limited nomodify notrap nopeer noquery
        restrict 192.168.0.0 mask 255.255.0.0 nomodify
        restrict 192.168.1.0 mask 255.255.255.0 noquery
        restrict 192.168.1.7 ignore
        restrict 10.0.0.0 mask 255.0.0.0 noserve
        restrict 2001:db8:: mask ffff:ffff:: nopeer
        restrict 2001:db8:1:: mask ffff:ffff:ffff:ffff:: version
        restrict 2001:db8:1::7 notrust
        """;

    private static RestrictFlags DefaultFlags =>
        RestrictFlags.Kod | RestrictFlags.Limited | RestrictFlags.NoModify | RestrictFlags.NoTrap | RestrictFlags.NoPeer | RestrictFlags.NoQuery;

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("2001:db8::1")]
    public void Match_NoRules_EverythingAllowedByTheDefaultEntry(string address)
    {
        RestrictMatch match = RestrictionTable.Unrestricted.Match(AccessTestConfig.Address(address));
        Assert.Equal(RestrictFlags.None, match.Flags);
        Assert.Equal(RestrictOrigin.Default, match.Origin);
    }

    [Theory]
    [InlineData("192.168.1.7", "Ignore", 32)]
    [InlineData("192.168.1.8", "NoQuery", 24)]
    [InlineData("192.168.2.1", "NoModify", 16)]
    [InlineData("192.169.0.1", null, 0)]
    [InlineData("10.255.255.255", "NoServe", 8)]
    [InlineData("11.0.0.0", null, 0)]
    [InlineData("2001:db8:1::7", "NoTrust", 128)]
    [InlineData("2001:db8:1::8", "Version", 64)]
    [InlineData("2001:db8:2::1", "NoPeer", 32)]
    [InlineData("2001:db9::1", null, 0)]
    public void Match_MostSpecificEntryWins(string address, string? flag, int prefix)
    {
        RestrictionTable table = AccessTestConfig.Table(Campus);
        RestrictMatch match = table.Match(AccessTestConfig.Address(address));
        RestrictFlags expected = flag is null ? DefaultFlags : Enum.Parse<RestrictFlags>(flag);
        Assert.Equal(expected, match.Flags);
        Assert.Equal(prefix, match.PrefixLength);
        Assert.Equal(prefix == 0 ? RestrictOrigin.Default : RestrictOrigin.Address, match.Origin);
    }

    [Fact]
    public void Match_DoesNotDependOnLineOrder()
    {
        string[] lines = Campus.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        RestrictionTable forward = AccessTestConfig.Table(string.Join('\n', lines));
        RestrictionTable backward = AccessTestConfig.Table(string.Join('\n', lines.Reverse()));
        foreach (string address in new[] { "192.168.1.7", "192.168.1.8", "192.168.3.3", "10.1.2.3", "8.8.8.8", "2001:db8:1::7", "2001:db8:1::1", "2001:db8:ffff::1", "::1" })
        {
            ClientAddress client = AccessTestConfig.Address(address);
            Assert.Equal(forward.Match(client), backward.Match(client));
        }
    }

    [Fact]
    public void Match_DefaultWithFamilyFlag_AppliesToThatFamilyOnly()
    {
        RestrictionTable table = AccessTestConfig.Table("restrict -4 default noquery\nrestrict -6 default noserve\n");
        Assert.Equal(RestrictFlags.NoQuery, table.Match(AccessTestConfig.Address("192.0.2.1")).Flags);
        Assert.Equal(RestrictFlags.NoServe, table.Match(AccessTestConfig.Address("2001:db8::1")).Flags);
    }

    [Fact]
    public void Match_DefaultWithoutFamilyFlag_AppliesToBoth()
    {
        RestrictionTable table = AccessTestConfig.Table("restrict default nopeer\n");
        Assert.Equal(RestrictFlags.NoPeer, table.Match(AccessTestConfig.Address("192.0.2.1")).Flags);
        Assert.Equal(RestrictFlags.NoPeer, table.Match(AccessTestConfig.Address("2001:db8::1")).Flags);
    }

    [Fact]
    public void Match_RepeatedLines_AddTheirFlagsAsNtpdDoes()
    {
        RestrictionTable table = AccessTestConfig.Table("restrict default kod\nrestrict default limited\nrestrict 192.0.2.1 noquery\nrestrict 192.0.2.1 nopeer\n");
        Assert.Equal(RestrictFlags.Kod | RestrictFlags.Limited, table.Match(AccessTestConfig.Address("192.0.2.2")).Flags);
        Assert.Equal(RestrictFlags.NoQuery | RestrictFlags.NoPeer, table.Match(AccessTestConfig.Address("192.0.2.1")).Flags);
    }

    [Fact]
    public void Match_HostEntryWithNoFlags_GrantsEverythingUnderARestrictiveDefault()
    {
        RestrictionTable table = AccessTestConfig.Table("restrict default ignore\nrestrict 127.0.0.1\nrestrict ::1\n");
        Assert.Equal(RestrictFlags.None, table.Match(AccessTestConfig.Address("127.0.0.1")).Flags);
        Assert.Equal(RestrictFlags.None, table.Match(AccessTestConfig.Address("::1")).Flags);
        Assert.Equal(RestrictFlags.Ignore, table.Match(AccessTestConfig.Address("127.0.0.2")).Flags);
    }

    [Fact]
    public void Match_NtpPortEntry_MatchesOnlySourcePort123AndOutranksThePlainEntry()
    {
        RestrictionTable table = AccessTestConfig.Table("restrict 192.0.2.0 mask 255.255.255.0 noquery\nrestrict 192.0.2.0 mask 255.255.255.0 ntpport noserve\nrestrict 192.0.2.9 ntpport ignore\n");
        Assert.Equal(RestrictFlags.NoServe, table.Match(AccessTestConfig.Address("192.0.2.1", 123)).Flags);
        Assert.Equal(RestrictFlags.NoQuery, table.Match(AccessTestConfig.Address("192.0.2.1", 1234)).Flags);
        // The host entry has ntpport only: another port falls back to the /24.
        Assert.Equal(RestrictFlags.Ignore, table.Match(AccessTestConfig.Address("192.0.2.9", 123)).Flags);
        Assert.Equal(RestrictFlags.NoQuery, table.Match(AccessTestConfig.Address("192.0.2.9", 1234)).Flags);
    }

    [Fact]
    public void Match_RestrictSource_CoversAssociationAddressesUnlessAHostLineExists()
    {
        const string Text = "restrict default nopeer noquery\nrestrict source noquery\nrestrict source nomodify\nrestrict 198.51.100.2 notrap\n";
        RestrictionTable table = AccessTestConfig.Table(Text, sources: ["198.51.100.1", "198.51.100.2", "2001:db8::123"]);
        RestrictMatch source = table.Match(AccessTestConfig.Address("198.51.100.1", 123));
        // The last "restrict source" line is the template (ntpd replaces it, it does not add).
        Assert.Equal(RestrictFlags.NoModify, source.Flags);
        Assert.Equal(RestrictOrigin.Source, source.Origin);
        Assert.Equal(RestrictFlags.NoModify, table.Match(AccessTestConfig.Address("2001:db8::123")).Flags);
        Assert.Equal(RestrictFlags.NoTrap, table.Match(AccessTestConfig.Address("198.51.100.2")).Flags);
        Assert.Equal(RestrictFlags.NoPeer | RestrictFlags.NoQuery, table.Match(AccessTestConfig.Address("198.51.100.3")).Flags);
    }

    [Fact]
    public void Match_WithoutRestrictSource_AssociationAddressesGetNoEntry()
    {
        RestrictionTable table = AccessTestConfig.Table("restrict default nopeer\n", sources: ["198.51.100.1"]);
        Assert.Equal(RestrictOrigin.Default, table.Match(AccessTestConfig.Address("198.51.100.1")).Origin);
    }

    [Fact]
    public void Match_OwnInterfaceAddressFromPort123_IsIgnoredWhateverTheRules()
    {
        RestrictionTable table = AccessTestConfig.Table("restrict 127.0.0.1\nrestrict 127.0.0.1 ntpport\n", interfaces: ["127.0.0.1", "::1"]);
        RestrictMatch own = table.Match(AccessTestConfig.Address("127.0.0.1", 123));
        Assert.Equal(RestrictFlags.Ignore, own.Flags);
        Assert.Equal(RestrictOrigin.Interface, own.Origin);
        Assert.Equal(RestrictFlags.Ignore, table.Match(AccessTestConfig.Address("::1", 123)).Flags);
        Assert.Equal(RestrictFlags.None, table.Match(AccessTestConfig.Address("127.0.0.1", 40000)).Flags);
    }

    [Theory]
    [InlineData("224.0.1.1")]
    [InlineData("ff05::101")]
    public void Match_MulticastSource_IsAlwaysIgnored(string address)
    {
        RestrictMatch match = RestrictionTable.Unrestricted.Match(AccessTestConfig.Address(address));
        Assert.Equal(RestrictFlags.Ignore, match.Flags);
        Assert.Equal(RestrictOrigin.Invalid, match.Origin);
    }

    [Fact]
    public void Match_NonContiguousMask_UsesNtpdOrderAgainstPrefixEntries()
    {
        // 10.x.0.y with mask 255.0.255.0: address 10.0.0.0; the /8 has the same address and a smaller
        // mask, so the odd mask ranks higher; a /16 10.1.0.0 has a larger address and ranks higher still.
        RestrictionTable table = AccessTestConfig.Table("restrict 10.0.0.0 mask 255.0.0.0 noquery\nrestrict 10.0.0.0 mask 255.0.255.0 noserve\nrestrict 10.1.0.0 mask 255.255.0.0 nopeer\n");
        RestrictMatch odd = table.Match(AccessTestConfig.Address("10.7.0.9"));
        Assert.Equal(RestrictFlags.NoServe, odd.Flags);
        Assert.Equal(-1, odd.PrefixLength);
        Assert.Equal(RestrictFlags.NoQuery, table.Match(AccessTestConfig.Address("10.7.1.9")).Flags);
        Assert.Equal(RestrictFlags.NoPeer, table.Match(AccessTestConfig.Address("10.1.0.9")).Flags);
    }

    [Fact]
    public void Match_NtpPortFlag_IsAModifierNotARestriction()
    {
        RestrictionTable table = AccessTestConfig.Table("restrict default ntpport\n");
        Assert.Equal(RestrictFlags.None, table.Match(AccessTestConfig.Address("192.0.2.1", 123)).Flags);
    }

    [Fact]
    public void Entries_ListEveryCompiledEntry()
    {
        RestrictionTable table = AccessTestConfig.Table("restrict -4 default noquery\nrestrict 192.0.2.0 mask 255.255.255.0 ntpport nopeer\n", interfaces: ["127.0.0.1"]);
        Assert.Contains(table.Entries, e => e.Origin == RestrictOrigin.Default && e.Family == ClientAddressFamily.IPv4 && e.Flags == RestrictFlags.NoQuery);
        Assert.Contains(table.Entries, e => e.Origin == RestrictOrigin.Default && e.Family == ClientAddressFamily.IPv6 && e.Flags == RestrictFlags.None);
        Assert.Contains(table.Entries, e => e.Origin == RestrictOrigin.Address && e.NtpPortOnly && e.Mask == 0xFFFFFF00u && e.Flags == RestrictFlags.NoPeer);
        Assert.Contains(table.Entries, e => e.Origin == RestrictOrigin.Interface && e.Address == 0x7F000001u && e.Flags == RestrictFlags.Ignore);
    }

    private static long Hits(RestrictionTable table, string family, string address, string mask, bool ntpPortOnly = false, RestrictOrigin? origin = null)
    {
        ClientAddress a = AccessTestConfig.Address(address);
        ClientAddress m = AccessTestConfig.Address(mask);
        RestrictEntry entry = Assert.Single(table.Entries, e => e.Family.ToString() == family && e.Address == a.Value && e.Mask == m.Value
            && e.NtpPortOnly == ntpPortOnly && (origin is null || e.Origin == origin));
        return table.HitsOf(entry);
    }

    [Fact]
    public void Hits_CountOnTheDecidingEntry_DefaultOrMoreSpecific()
    {
        RestrictionTable table = AccessTestConfig.Table(Campus);
        foreach (string address in new[] { "192.168.1.7", "192.168.1.7", "192.168.1.8", "192.168.2.1", "8.8.8.8", "8.8.4.4", "8.8.8.8" })
        {
            table.Match(AccessTestConfig.Address(address));
        }

        Assert.Equal(2, Hits(table, "IPv4", "192.168.1.7", "255.255.255.255"));
        Assert.Equal(1, Hits(table, "IPv4", "192.168.1.0", "255.255.255.0"));
        Assert.Equal(1, Hits(table, "IPv4", "192.168.0.0", "255.255.0.0"));
        Assert.Equal(3, Hits(table, "IPv4", "0.0.0.0", "0.0.0.0"));
        Assert.Equal(0, Hits(table, "IPv4", "10.0.0.0", "255.0.0.0"));
        Assert.Equal(0, Hits(table, "IPv6", "::", "::"));
    }

    [Fact]
    public void Hits_IPv6_CountOnTheDecidingEntry()
    {
        RestrictionTable table = AccessTestConfig.Table(Campus);
        foreach (string address in new[] { "2001:db8:1::7", "2001:db8:1::8", "2001:db8:1::9", "2001:db8:2::1", "2001:db9::1", "::1" })
        {
            table.Match(AccessTestConfig.Address(address));
        }

        Assert.Equal(1, Hits(table, "IPv6", "2001:db8:1::7", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        Assert.Equal(2, Hits(table, "IPv6", "2001:db8:1::", "ffff:ffff:ffff:ffff::"));
        Assert.Equal(1, Hits(table, "IPv6", "2001:db8::", "ffff:ffff::"));
        Assert.Equal(2, Hits(table, "IPv6", "::", "::"));
        Assert.Equal(0, Hits(table, "IPv4", "0.0.0.0", "0.0.0.0"));
    }

    [Fact]
    public void Hits_NtpPortEntries_CountOnlyPackets_TheyDecide()
    {
        RestrictionTable table = AccessTestConfig.Table("restrict 192.0.2.0 mask 255.255.255.0 noquery\nrestrict 192.0.2.0 mask 255.255.255.0 ntpport noserve\n",
            interfaces: ["192.0.2.1", "::1"]);
        table.Match(AccessTestConfig.Address("192.0.2.1", 123));    // own address, port 123: the interface entry
        table.Match(AccessTestConfig.Address("192.0.2.1", 4000));   // own address, another port: the plain /24
        table.Match(AccessTestConfig.Address("192.0.2.2", 123));    // the ntpport /24
        table.Match(AccessTestConfig.Address("192.0.2.2", 123));
        table.Match(AccessTestConfig.Address("::1", 123));
        table.Match(AccessTestConfig.Address("::1", 123));
        table.Match(AccessTestConfig.Address("::1", 5000));         // falls to the IPv6 default
        table.Match(AccessTestConfig.Address("224.0.1.1", 123));    // multicast: ignored, counted nowhere

        Assert.Equal(1, Hits(table, "IPv4", "192.0.2.1", "255.255.255.255", ntpPortOnly: true, RestrictOrigin.Interface));
        Assert.Equal(1, Hits(table, "IPv4", "192.0.2.0", "255.255.255.0"));
        Assert.Equal(2, Hits(table, "IPv4", "192.0.2.0", "255.255.255.0", ntpPortOnly: true));
        Assert.Equal(0, Hits(table, "IPv4", "0.0.0.0", "0.0.0.0"));
        Assert.Equal(2, Hits(table, "IPv6", "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", ntpPortOnly: true, RestrictOrigin.Interface));
        Assert.Equal(1, Hits(table, "IPv6", "::", "::"));
        long total = 0;
        for (int i = 0; i < table.Entries.Count; i++)
        {
            total += table.HitsAt(i);
        }

        Assert.Equal(7, total);
    }

    [Fact]
    public void Hits_NonContiguousMask_CountOnTheOddEntry()
    {
        RestrictionTable table = AccessTestConfig.Table("restrict 10.0.0.0 mask 255.0.0.0 noquery\nrestrict 10.0.0.0 mask 255.0.255.0 noserve\n");
        table.Match(AccessTestConfig.Address("10.7.0.9"));
        table.Match(AccessTestConfig.Address("10.7.1.9"));
        table.Match(AccessTestConfig.Address("10.7.1.10"));
        Assert.Equal(1, Hits(table, "IPv4", "10.0.0.0", "255.0.255.0"));
        Assert.Equal(2, Hits(table, "IPv4", "10.0.0.0", "255.0.0.0"));
    }

    [Fact]
    public void Hits_RestrictSourceEntry_CountsAndIsListedAfterTheConfiguredLines()
    {
        RestrictionTable table = AccessTestConfig.Table("restrict default nopeer\nrestrict source nomodify\nrestrict 198.51.100.2 notrap\n",
            sources: ["198.51.100.1", "198.51.100.2"], interfaces: ["127.0.0.1"]);
        table.Match(AccessTestConfig.Address("198.51.100.1", 123));
        table.Match(AccessTestConfig.Address("198.51.100.2", 123));
        Assert.Equal(1, Hits(table, "IPv4", "198.51.100.1", "255.255.255.255", origin: RestrictOrigin.Source));
        Assert.Equal(1, Hits(table, "IPv4", "198.51.100.2", "255.255.255.255"));
        // Configured lines first (a default line makes both families' entries), then sources, then
        // interfaces; 198.51.100.2 has a configured line, so no source entry (as ntpd).
        Assert.Equal(
            ["IPv4 0 Default", "IPv6 0 Default", "IPv4 3325256706 Address", "IPv4 3325256705 Source", "IPv4 2130706433 Interface"],
            table.Entries.Select(e => $"{e.Family} {e.Address} {e.Origin}"));
    }

    [Fact]
    public void Entries_BuiltInDefaults_FollowTheConfiguredLines()
    {
        RestrictionTable table = AccessTestConfig.Table("restrict 127.0.0.1\nrestrict -6 default noquery\n");
        Assert.Equal(
            ["IPv4 2130706433 Address None", "IPv6 0 Default NoQuery", "IPv4 0 Default None"],
            table.Entries.Select(e => $"{e.Family} {e.Address} {e.Origin} {e.Flags}"));
    }

    [Fact]
    public void Hits_FromSeveralThreads_AreAllCounted()
    {
        RestrictionTable table = AccessTestConfig.Table("restrict default kod limited\nrestrict 192.0.2.0 mask 255.255.255.0 nopeer\n");
        const int PerThread = 50_000;
        Parallel.For(0, 4, worker =>
        {
            ClientAddress inside = AccessTestConfig.Address("192.0.2." + (worker + 1));
            ClientAddress outside = AccessTestConfig.Address("198.51.100." + (worker + 1));
            for (int i = 0; i < PerThread; i++)
            {
                table.Match(inside);
                table.Match(outside);
            }
        });

        Assert.Equal(4 * PerThread, Hits(table, "IPv4", "192.0.2.0", "255.255.255.0"));
        Assert.Equal(4 * PerThread, Hits(table, "IPv4", "0.0.0.0", "0.0.0.0"));
    }

    /// <summary>Random rule sets against a direct model of ntpd's list: among matching entries the one
    /// with the greatest (masked address, mask, ntpport) wins; repeated entries OR their flags.</summary>
    [Fact]
    public void Match_RandomRuleSets_AgreeWithNtpdListModel()
    {
        var random = new Random(20240607);
        for (int set = 0; set < 200; set++)
        {
            var rules = new List<RestrictRule>();
            int count = random.Next(0, 40);
            for (int i = 0; i < count; i++)
            {
                IPAddress address = new(new byte[] { 10, (byte)random.Next(0, 3), (byte)random.Next(0, 3), (byte)random.Next(0, 4) });
                uint maskBits = random.Next(8) == 0 ? (uint)random.Next() : PrefixMask(random.Next(0, 33));
                RestrictFlags flags = (RestrictFlags)random.Next(0, 1 << 10) & ~RestrictFlags.NtpPort;
                if (random.Next(4) == 0)
                {
                    flags |= RestrictFlags.NtpPort;
                }

                rules.Add(new RestrictRule(RestrictTarget.Address, address, ToAddress(maskBits), AddressFamilyHint.IPv4, flags, i + 1));
            }

            RestrictionTable table = RestrictionTable.Compile(rules);
            for (int probe = 0; probe < 50; probe++)
            {
                uint address = 0x0A000000u | ((uint)random.Next(0, 3) << 16) | ((uint)random.Next(0, 3) << 8) | (uint)random.Next(0, 4);
                ushort port = random.Next(2) == 0 ? (ushort)123 : (ushort)5000;
                RestrictFlags expected = ModelMatch(rules, address, port);
                Assert.Equal(expected, table.Match(ClientAddress.FromIPv4(address, port)).Flags);
            }
        }
    }

    [Fact]
    public void Match_AllocatesNothingAndIsFast()
    {
        // 1000 host entries, 100 networks of each length /8–/31 in both families: a large table.
        var text = new System.Text.StringBuilder("restrict default kod limited nopeer noquery\n");
        var random = new Random(7);
        for (int i = 0; i < 1000; i++)
        {
            text.Append($"restrict 10.{random.Next(256)}.{random.Next(256)}.{random.Next(256)} nomodify\n");
            text.Append($"restrict 2001:db8:{random.Next(65536):x}::{random.Next(65536):x} nomodify\n");
        }

        for (int length = 8; length < 32; length++)
        {
            for (int i = 0; i < 100; i++)
            {
                text.Append($"restrict 10.{random.Next(256)}.{random.Next(256)}.0 mask {ToAddress(PrefixMask(length))} noserve\n");
            }
        }

        RestrictionTable table = AccessTestConfig.Table(text.ToString());
        ClientAddress v4 = AccessTestConfig.Address("10.1.2.3");
        ClientAddress v6 = AccessTestConfig.Address("2001:db8:1::1");
        const int Lookups = 200_000;
        for (int i = 0; i < Lookups; i++)
        {
            // Warm-up: let the JIT reach its optimized tier before timing.
            table.Match(v4);
            table.Match(v6);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        RestrictFlags sink = RestrictFlags.None;
        double v4Nanoseconds = double.MaxValue;
        double v6Nanoseconds = double.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            // Best of five rounds: the machine is shared, the minimum is the lookup's own cost.
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < Lookups; i++)
            {
                sink |= table.Match(v4).Flags;
            }

            v4Nanoseconds = Math.Min(v4Nanoseconds, Stopwatch.GetElapsedTime(start).TotalNanoseconds / Lookups);
            start = Stopwatch.GetTimestamp();
            for (int i = 0; i < Lookups; i++)
            {
                sink |= table.Match(v6).Flags;
            }

            v6Nanoseconds = Math.Min(v6Nanoseconds, Stopwatch.GetElapsedTime(start).TotalNanoseconds / Lookups);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(RestrictFlags.None, sink);
        output.WriteLine($"{table.Entries.Count} entries; {table.IPv4.PrefixLengths.Count()} IPv4 prefix lengths, {table.IPv4.RangeCount} IPv4 ranges: IPv4 lookup {v4Nanoseconds:F0} ns, IPv6 lookup {v6Nanoseconds:F0} ns");
    }

    private static RestrictFlags ModelMatch(List<RestrictRule> rules, uint address, ushort port)
    {
        var merged = new Dictionary<(uint Address, uint Mask, bool NtpPort), RestrictFlags> { [(0, 0, false)] = RestrictFlags.None };
        foreach (RestrictRule rule in rules)
        {
            uint mask = ToBits(rule.Mask!);
            bool ntpPort = (rule.Flags & RestrictFlags.NtpPort) != 0;
            var key = (ToBits(rule.Address!) & mask, mask, ntpPort);
            merged[key] = merged.GetValueOrDefault(key) | (rule.Flags & ~RestrictFlags.NtpPort);
        }

        // ntpd: sorted by address, then mask (ntpport after plain), last match wins.
        var best = ((uint Address, uint Mask, bool NtpPort)?)null;
        foreach (var key in merged.Keys)
        {
            bool matches = (address & key.Mask) == key.Address && (!key.NtpPort || port == 123);
            if (matches && (best is null || (key.Address, key.Mask, key.NtpPort ? 1 : 0).CompareTo((best.Value.Address, best.Value.Mask, best.Value.NtpPort ? 1 : 0)) > 0))
            {
                best = key;
            }
        }

        return merged[best!.Value];
    }

    private static uint PrefixMask(int length) => length == 0 ? 0 : uint.MaxValue << (32 - length);

    private static IPAddress ToAddress(uint bits) => new(new[] { (byte)(bits >> 24), (byte)(bits >> 16), (byte)(bits >> 8), (byte)bits });

    private static uint ToBits(IPAddress address)
    {
        byte[] b = address.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }
}
