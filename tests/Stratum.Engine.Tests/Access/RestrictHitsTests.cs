// Restrict hit counts through AccessControl (ntpd's per-entry count that ntpq reslist shows): they
// survive every recompile of the table (interface addresses, association addresses, restrict
// lines added at run time by ntpq :config), an entry that a :config line merges into keeps its
// count, and the counts of --server-threads loops (their own AccessControl each) are summed.
using Stratum.Core.Config;
using Stratum.Engine.Access;

namespace Stratum.Engine.Tests.Access;

public class RestrictHitsTests
{
    private const string Config = "restrict default kod nomodify notrap nopeer noquery\nrestrict source nomodify\nrestrict 127.0.0.1\n";

    private static ClientAddress Address(string address, int port = 40000) => AccessTestConfig.Address(address, port);

    private static long Hits(AccessControl access, string address, string mask, RestrictOrigin origin)
    {
        ClientAddress a = Address(address);
        ClientAddress m = Address(mask);
        RestrictEntry entry = Assert.Single(access.Restrictions.Entries, e => e.Address == a.Value && e.Mask == m.Value && e.Family == a.Family && e.Origin == origin);
        return access.HitsOf(entry);
    }

    private static void Send(AccessControl access, string address, int count, int port = 40000)
    {
        for (int i = 0; i < count; i++)
        {
            access.Match(Address(address, port));
        }
    }

    [Fact]
    public void Hits_SurviveEveryRecompile()
    {
        var access = new AccessControl(AccessTestConfig.Settings(Config), seed: 1, [Address("192.0.2.1")]);
        Send(access, "127.0.0.1", 5);
        Send(access, "198.51.100.7", 3);
        Send(access, "192.0.2.1", 2, port: 123);

        access.SetInterfaceAddresses([Address("127.0.0.1"), Address("::1")]);
        Send(access, "127.0.0.1", 1, port: 123);
        access.SetSourceAddresses([Address("192.0.2.1"), Address("192.0.2.2")]);
        Send(access, "192.0.2.2", 4, port: 123);
        access.AddRestrictions(AccessTestConfig.Parse("restrict 203.0.113.0 mask 255.255.255.0 noserve\n").Restrictions);
        Send(access, "203.0.113.9", 1);

        Assert.Equal(5, Hits(access, "127.0.0.1", "255.255.255.255", RestrictOrigin.Address));
        Assert.Equal(1, Hits(access, "127.0.0.1", "255.255.255.255", RestrictOrigin.Interface));
        Assert.Equal(3, Hits(access, "0.0.0.0", "0.0.0.0", RestrictOrigin.Default));
        Assert.Equal(2, Hits(access, "192.0.2.1", "255.255.255.255", RestrictOrigin.Source));
        Assert.Equal(4, Hits(access, "192.0.2.2", "255.255.255.255", RestrictOrigin.Source));
        Assert.Equal(1, Hits(access, "203.0.113.0", "255.255.255.0", RestrictOrigin.Address));
        Assert.Equal(0, Hits(access, "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", RestrictOrigin.Interface));
    }

    [Fact]
    public void Hits_RuntimeLineForAnExistingEntry_MergesFlagsAndKeepsTheCount()
    {
        var access = new AccessControl(AccessTestConfig.Settings(Config), seed: 1);
        Send(access, "127.0.0.1", 6);
        access.AddRestrictions(AccessTestConfig.Parse("restrict 127.0.0.1 notrap\n").Restrictions);

        RestrictEntry entry = Assert.Single(access.Restrictions.Entries, e => e.Address == Address("127.0.0.1").Value);
        Assert.Equal(RestrictFlags.NoTrap, entry.Flags);
        Assert.Equal(6, access.HitsOf(entry));
    }

    [Fact]
    public void Hits_OfServerLoops_AreSummed()
    {
        AccessSettings settings = AccessTestConfig.Settings(Config);
        var main = new AccessControl(settings, seed: 1);
        var loop1 = new AccessControl(settings, seed: 2);
        var loop2 = new AccessControl(settings, seed: 3);
        main.IncludeHitsOf(loop1);
        main.IncludeHitsOf(loop2);
        main.IncludeHitsOf(loop2);
        Send(main, "127.0.0.1", 1);
        Send(loop1, "127.0.0.1", 2);
        Send(loop2, "127.0.0.1", 4);
        Send(loop2, "192.0.2.9", 8);

        Assert.Equal(7, Hits(main, "127.0.0.1", "255.255.255.255", RestrictOrigin.Address));
        Assert.Equal(8, Hits(main, "0.0.0.0", "0.0.0.0", RestrictOrigin.Default));
        // A recompile of the main table keeps the sum.
        main.SetInterfaceAddresses([Address("127.0.0.1")]);
        Assert.Equal(7, Hits(main, "127.0.0.1", "255.255.255.255", RestrictOrigin.Address));
    }
}
