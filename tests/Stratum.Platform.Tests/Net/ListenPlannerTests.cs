// Listen planning: wildcard and interface addresses filtered by rules and -4/-6; explicit
// addresses bound even when no interface carries them.
using System.Net;
using Stratum.Platform.Net;

namespace Stratum.Platform.Tests.Net;

public class ListenPlannerTests
{
    private static readonly ListenPlanner.Candidate[] s_host =
    [
        new(IPAddress.Loopback, "lo", false),
        new(IPAddress.IPv6Loopback, "lo", false),
        new(IPAddress.Parse("192.168.1.10"), "eth0", false),
        new(IPAddress.Parse("fe80::1"), "eth0", false),
    ];

    [Fact]
    public void Plan_ListenEverything_SkipsLinkLocal()
    {
        IReadOnlyList<ListenEndpoint> plan = ListenPlanner.Plan(s_host, [], (_, _, _) => true, true, true, 123);
        Assert.Equal(["0.0.0.0:123", "[::]:123", "127.0.0.1:123", "[::1]:123", "192.168.1.10:123"], plan.Select(e => e.EndPoint.ToString()));
    }

    [Fact]
    public void Plan_IPv4Only_AndExplicitLoopbackAlias()
    {
        IReadOnlyList<ListenEndpoint> plan = ListenPlanner.Plan(s_host, [IPAddress.Parse("127.0.0.20")],
            (address, _, wildcard) => !wildcard && address.ToString() == "127.0.0.20", true, false, 123);
        ListenEndpoint only = Assert.Single(plan);
        Assert.Equal("127.0.0.20:123", only.EndPoint.ToString());
        Assert.Equal("lo", only.InterfaceName);
    }
}
