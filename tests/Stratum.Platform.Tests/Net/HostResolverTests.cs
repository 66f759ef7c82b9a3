// The resolver thread: results come back through the loop's drain, filtered by family; failures
// carry the resolver's message; the pending queue is bounded.
using System.Net;
using System.Net.Sockets;
using Stratum.Platform.Net;

namespace Stratum.Platform.Tests.Net;

public class HostResolverTests
{
    private static List<ResolveResult> DrainUntil(HostResolver resolver, int expected)
    {
        var results = new List<ResolveResult>();
        for (int i = 0; i < 500 && results.Count < expected; i++)
        {
            resolver.Drain(results.Add);
            if (results.Count < expected)
            {
                Thread.Sleep(10);
            }
        }

        return results;
    }

    [Fact]
    public void Request_Name_ResultsFilteredByFamily()
    {
        using var resolver = new HostResolver(_ => [IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1")]);
        Assert.True(resolver.Request(1, "pool.example", AddressFamily.InterNetwork));
        Assert.True(resolver.Request(2, "pool.example"));
        List<ResolveResult> results = DrainUntil(resolver, 2);
        Assert.Equal([IPAddress.Parse("192.0.2.1")], results.Single(r => r.Token == 1).Addresses);
        Assert.Equal(2, results.Single(r => r.Token == 2).Addresses.Count);
    }

    [Fact]
    public void Request_UnknownName_CarriesTheResolverMessage()
    {
        using var resolver = new HostResolver(_ => throw new SocketException((int)SocketError.HostNotFound));
        resolver.Request(7, "no.such.host");
        ResolveResult result = Assert.Single(DrainUntil(resolver, 1));
        Assert.Empty(result.Addresses);
        Assert.False(string.IsNullOrEmpty(result.Error));
    }

    [Fact]
    public void Request_Localhost_ResolvesWithTheSystemResolver()
    {
        using var resolver = new HostResolver();
        resolver.Request(3, "localhost");
        ResolveResult result = Assert.Single(DrainUntil(resolver, 1));
        Assert.Contains(result.Addresses, IPAddress.IsLoopback);
    }
}
