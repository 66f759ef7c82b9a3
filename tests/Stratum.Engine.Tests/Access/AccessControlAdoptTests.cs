// AccessControl.Inputs and Adopt: how a --server-threads loop follows the main loop's restrict
// table. Every change (restrict lines added at run time, association and interface addresses)
// makes new, immutable inputs; an access control that adopts them decides as the main one does,
// keeps its own MRU list and hit counts (carried over the recompile), and adopting the inputs it
// already has changes nothing.
using Stratum.Core.Config;
using Stratum.Engine.Access;

namespace Stratum.Engine.Tests.Access;

public class AccessControlAdoptTests
{
    private const string Config = "restrict default nomodify\nrestrict source nopeer\n";

    [Fact]
    public void Adopt_MainLoopInputsAfterRuntimeChanges_SameDecisions()
    {
        AccessSettings settings = AccessTestConfig.Settings(Config);
        var main = new AccessControl(settings, seed: 1);
        var loop = new AccessControl(settings, seed: 2);
        RestrictionInputs first = main.Inputs;

        main.SetInterfaceAddresses([AccessTestConfig.Address("127.0.0.20")]);
        main.SetSourceAddresses([AccessTestConfig.Address("192.0.2.1")]);
        main.AddRestrictions(AccessTestConfig.Parse("restrict 203.0.113.0 mask 255.255.255.0 noserve\n").Restrictions);
        Assert.NotSame(first, main.Inputs);
        Assert.Equal(RestrictFlags.NoModify, loop.Match(AccessTestConfig.Address("203.0.113.5")).Flags);

        loop.Adopt(main.Inputs);

        Assert.Same(main.Inputs, loop.Inputs);
        foreach (string address in new[] { "203.0.113.5", "192.0.2.1", "198.51.100.1" })
        {
            Assert.Equal(main.Match(AccessTestConfig.Address(address)).Flags, loop.Match(AccessTestConfig.Address(address)).Flags);
        }

        Assert.Equal(RestrictFlags.NoServe, loop.Match(AccessTestConfig.Address("203.0.113.5")).Flags);
        Assert.Equal(RestrictFlags.Ignore, loop.Match(AccessTestConfig.Address("127.0.0.20", ClientAddress.NtpPort)).Flags & RestrictFlags.Ignore);
    }

    [Fact]
    public void Adopt_KeepsItsOwnHitCounts_AndTheSameInputsChangeNothing()
    {
        AccessSettings settings = AccessTestConfig.Settings(Config);
        var main = new AccessControl(settings, seed: 1);
        var loop = new AccessControl(settings, seed: 2);
        loop.Adopt(main.Inputs);
        RestrictionTable table = loop.Restrictions;
        loop.Adopt(main.Inputs);
        Assert.Same(table, loop.Restrictions);

        for (int i = 0; i < 3; i++)
        {
            loop.Match(AccessTestConfig.Address("198.51.100.1"));
        }

        main.AddRestrictions(AccessTestConfig.Parse("restrict 203.0.113.0 mask 255.255.255.0 noserve\n").Restrictions);
        loop.Adopt(main.Inputs);

        RestrictEntry defaultEntry = Assert.Single(loop.Restrictions.Entries, e => e.Origin == RestrictOrigin.Default && e.Family == ClientAddressFamily.IPv4);
        Assert.Equal(3, loop.Restrictions.HitsOf(defaultEntry));
        Assert.Equal(0, main.Restrictions.HitsOf(defaultEntry));
    }
}
