// Client source ports (RFC 9109 §3): DaemonHost gives every association its own socket bound to port
// 0, so each gets a kernel-chosen ephemeral port: never 123, never shared, different for every
// association and again different when the daemon restarts. Nothing is sent: Bind only opens the
// sockets (the associations' remote ends are 127.0.0.39 and 127.0.0.40, where nothing is contacted).
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Stratum.Engine;
using Stratum.Engine.Associations;
using Stratum.Platform.Clock;
using Stratum.Platform.Hosting;
using Stratum.Platform.Net;

namespace Stratum.Platform.Tests.Hosting;

public class DaemonHostAssociationSocketTests
{
    private static readonly IPEndPoint[] s_servers =
    [
        new(IPAddress.Parse("127.0.0.39"), 123),
        new(IPAddress.Parse("127.0.0.40"), 123),
        new(IPAddress.Parse("127.0.0.39"), 1123),
        new(IPAddress.Parse("127.0.0.40"), 1123),
    ];

    // The association sockets' local ports of a host configured with s_servers, bound and closed again.
    private static List<int> AssociationPorts()
    {
        var associations = s_servers.Select(server => new RemoteAssociationSettings(server, AssociationMode.Client,
            true, false, false, false, false, 6, 10, 4, server.ToString())).ToList();
        var engine = new NtpEngine(new EngineConfiguration([], [], false, associations), -24, new CryptoRandomSource());
        using var host = new DaemonHost(new ObserveOnlyClockDriver(), engine, NullLogger.Instance);
        host.Bind([]);
        Dictionary<int, IPEndPoint> sockets = engine.Control.Host.AssociationSockets;
        Assert.Equal(engine.Sources.Sources.Select(s => s.Id).Order(), sockets.Keys.Order());
        Assert.Equal(s_servers.Length, host.Sockets.Count);
        return engine.Sources.Sources.Select(s => sockets[s.Id].Port).ToList();
    }

    [Fact]
    public void Bind_FourAssociations_EachOnItsOwnEphemeralPort()
    {
        (int low, int high) = EphemeralRange();
        List<int> ports = AssociationPorts();
        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, low, high));
        Assert.DoesNotContain(123, ports);
    }

    [Fact]
    public void Bind_Restarted_AssociationsGetOtherPorts()
    {
        // A fixed or derived port (123, or a base plus the association id) would repeat; the kernel's
        // random choice (Linux picks each ephemeral port at random) makes the same four ports in the same
        // order practically impossible (about 1 in 28 000^4).
        List<int> first = AssociationPorts();
        List<int> second = AssociationPorts();
        Assert.NotEqual(first, second);
        // Nor are they handed out in sequence.
        Assert.False(first.Zip(first.Skip(1)).All(pair => pair.Second == pair.First + 1), string.Join(",", first));
    }

    private static (int Low, int High) EphemeralRange()
    {
        string[] range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return (int.Parse(range[0], CultureInfo.InvariantCulture), int.Parse(range[1], CultureInfo.InvariantCulture));
    }
}
