// The real Engine (SourceManager: filter, selection, discipline) in SIMULATION.md's scenarios,
// with numeric pass criteria. S1: one perfect server, 100 µs + Exp(100 µs) each way, client 0.1 s
// off and +100 ppm with random-walk wander, minpoll = maxpoll = 6.
using Stratum.Simulation.Measurement;
using Stratum.Simulation.Network;
using Stratum.Simulation.Nodes;

namespace Stratum.Simulation.Tests.Scenarios;

public class EngineScenarioTests(ITestOutputHelper output)
{
    private static (EngineClient Client, SimulatedNode Node) RunS1(int seed, double seconds, double serverOffset = 0, int servers = 1, double falsetickerOffset = 0)
    {
        var sim = new Simulator(new SimulatorOptions(Seed: (ulong)seed));
        var serverNodes = new List<SimulatedNode>();
        for (int i = 0; i < servers; i++)
        {
            var program = new SimulatedServer();
            SimulatedNode node = sim.AddNode($"server{i}", program);
            if (i == servers - 1 && falsetickerOffset != 0)
            {
                program.ServedOffsetSeconds = falsetickerOffset;
            }

            serverNodes.Add(node);
        }

        EngineClient client = EngineClient.ForServers(serverNodes.Select(n => n.Endpoint).ToList());
        SimulatedNode clientNode = sim.AddNode("client", client, NodeOptions.ScenarioClient);
        foreach (SimulatedNode server in serverNodes)
        {
            sim.Network.SetLink(clientNode.Index, server.Index, DelayModel.Lan);
            sim.Network.SetLink(server.Index, clientNode.Index, DelayModel.Lan);
        }

        sim.RunUntil(seconds);
        return (client, clientNode);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void S1_OneServer_SixHours_RmsUnder25Microseconds(int seed)
    {
        (EngineClient client, SimulatedNode node) = RunS1(seed, seconds: 6 * 3600);
        ErrorStatistics settled = node.Errors.TimeErrorStatistics(fromTrueTime: 3600);
        double sync = node.Errors.ConvergenceTime(1e-3, 500e-6);
        output.WriteLine($"S1 seed {seed}: RMS {settled.Rms * 1e6:0.0} µs, max {settled.MaxAbsolute * 1e6:0.0} µs, time to < 1 ms {sync:0} s");
        Assert.Contains(client.Notices, n => n.Text == "synchronized to 192.168.123.1, stratum 1");
        Assert.True(settled.Rms < 25e-6, $"RMS {settled.Rms * 1e6:0.0} µs");
        Assert.True(settled.MaxAbsolute < 120e-6, $"max {settled.MaxAbsolute * 1e6:0.0} µs");
        Assert.True(sync < 120, $"time to < 1 ms: {sync} s");
    }
}
