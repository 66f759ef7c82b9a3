// Orphan mode end to end on the real Engine (`tos orphan 5`, orphanwait 300 s): a stratum-1 server
// feeds three core servers (192.168.123.2-4) that also list each other as servers, and a client
// (.5) of the three. The upstream goes silent for two hours, then returns. While it is gone the
// cores must elect one orphan parent, the one of lowest address (.2), which serves stratum 5 with
// refid 127.0.0.1; the other cores and the client follow it at stratum 6 and stay within 1 ms of
// it, although its own clock drifts freely. When the upstream returns everyone goes back to it.
using System.Net;
using Stratum.Core.Wire;
using Stratum.Engine.Associations;
using Stratum.Engine.Discipline;
using Stratum.Simulation.Nodes;

namespace Stratum.Simulation.Tests.Scenarios;

public class OrphanScenarioTests(ITestOutputHelper output)
{
    private const double OutageStart = 3600;
    private const double OutageEnd = 3 * 3600;
    private const byte OrphanStratum = 5;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void UpstreamLost_OneOrphanParentIsElected_AndTheGroupFollowsIt(int seed)
    {
        var simulator = new Simulator(new SimulatorOptions(Seed: (ulong)seed));
        var upstream = new SimulatedServer();
        SimulatedNode upstreamNode = simulator.AddNode("upstream", upstream);
        IPAddress[] cores = [IPAddress.Parse("192.168.123.2"), IPAddress.Parse("192.168.123.3"), IPAddress.Parse("192.168.123.4")];
        var coreClients = new List<EngineClient>();
        var coreNodes = new List<SimulatedNode>();
        double[] frequencies = [30e-6, -45e-6, 80e-6];
        for (int i = 0; i < cores.Length; i++)
        {
            var servers = new List<IPEndPoint> { upstreamNode.Endpoint };
            servers.AddRange(cores.Where((_, j) => j != i).Select(address => new IPEndPoint(address, SimContext.NtpPort)));
            EngineClient core = WithOrphan(servers);
            coreClients.Add(core);
            coreNodes.Add(simulator.AddNode($"core{i}", core, new NodeOptions(0.01 * (i + 1), frequencies[i], 1e-9)));
        }

        EngineClient client = WithOrphan(cores.Select(address => new IPEndPoint(address, SimContext.NtpPort)).ToList());
        SimulatedNode clientNode = simulator.AddNode("client", client, new NodeOptions(-0.02, 20e-6, 1e-9));
        Assert.Equal(cores, coreNodes.Select(n => n.Address));

        simulator.ScheduleAt(OutageStart, () => upstream.Answering = false);
        simulator.ScheduleAt(OutageEnd, () => upstream.Answering = true);

        // Before the outage: the usual hierarchy.
        simulator.RunUntil(OutageStart - 1);
        foreach (EngineClient core in coreClients)
        {
            Assert.Equal(2, core.Engine.System.Stratum);
        }

        Assert.Equal(3, client.Engine.System.Stratum);

        // From 45 min into the outage (time to find the upstream unreachable, orphanwait, the election) to
        // its end, sampled each minute: the parent at stratum 5, everyone else on it at stratum 6, within 1 ms.
        double worstSpread = 0;
        var parentStrata = new HashSet<int>();
        for (double t = OutageStart + 2700; t < OutageEnd; t += 60)
        {
            simulator.RunUntil(t);
            SimulatedNode parent = coreNodes[0];
            parentStrata.Add(coreClients[0].Engine.System.Stratum);
            Assert.Equal(ReferenceId.FromAddress(IPAddress.Loopback), coreClients[0].Engine.System.ReferenceId);
            Assert.Null(coreClients[0].Manager.SystemPeer);
            foreach ((EngineClient follower, SimulatedNode node) in coreClients.Skip(1).Zip(coreNodes.Skip(1)).Append((client, clientNode)))
            {
                Assert.Equal(OrphanStratum + 1, follower.Engine.System.Stratum);
                Assert.Equal(parent.Address, follower.Manager.SystemPeer?.Association.Settings.Address.Address);
                worstSpread = Math.Max(worstSpread, Math.Abs(node.Clock.Time - parent.Clock.Time));
            }
        }

        Assert.Equal([OrphanStratum], parentStrata);
        double parentDrift = Math.Abs(coreNodes[0].Clock.TimeError);
        output.WriteLine($"seed {seed}: during the outage every follower within {worstSpread * 1e6:0.0} µs of the orphan parent; "
            + $"the parent's own error at the end {parentDrift * 1e6:0.0} µs");
        Assert.True(worstSpread < 1e-3, $"a follower {worstSpread * 1e6:0} µs from the orphan parent");
        Assert.Contains(coreClients[0].Notices, n => n.Text == "orphan mode: no source reachable for 300 s; serving stratum 5");

        // An hour after the upstream returns: back to stratum 2 and 3, within 1 ms of true time.
        simulator.RunUntil(OutageEnd + 3600);
        foreach ((EngineClient core, SimulatedNode node) in coreClients.Zip(coreNodes))
        {
            Assert.Equal(2, core.Engine.System.Stratum);
            Assert.Equal(upstreamNode.Address, core.Manager.SystemPeer?.Association.Settings.Address.Address);
            Assert.True(Math.Abs(node.Clock.TimeError) < 1e-3, $"{node.Name} {node.Clock.TimeError * 1e6:0} µs from true time");
        }

        Assert.Equal(3, client.Engine.System.Stratum);
        Assert.True(Math.Abs(clientNode.Clock.TimeError) < 1e-3, $"client {clientNode.Clock.TimeError * 1e6:0} µs from true time");
    }

    private static EngineClient WithOrphan(IReadOnlyList<IPEndPoint> servers)
    {
        var settings = servers.Select(server => new RemoteAssociationSettings(server, AssociationMode.Client, true, false, false, false, false, 6, 6, 4,
            server.Address.ToString())).ToList();
        return new EngineClient(settings, DisciplineParameters.Default with { MinPoll = 6, MaxPoll = 6 })
        {
            Orphan = new OrphanSettings(OrphanStratum),
        };
    }
}
