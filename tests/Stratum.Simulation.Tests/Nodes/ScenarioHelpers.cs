// Builders shared by the node and determinism tests: one client polling N perfect servers over the
// scenario links of docs/simulation.md (S1: 100 µs + Exp(100 µs) both ways).
using System.Net;
using Stratum.Simulation.Network;
using Stratum.Simulation.Nodes;

namespace Stratum.Simulation.Tests.Nodes;

internal static class ScenarioHelpers
{
    /// <summary>Adds <paramref name="count"/> servers (nodes 0..count−1) then a client node running <paramref name="client"/>.</summary>
    public static (SimulatedNode Client, SimulatedServer[] Servers) ClientWithServers(
        Simulator simulator, int count, Func<IPEndPoint[], ISimulatedClient> client, NodeOptions? clientOptions = null,
        DelayModel? up = null, DelayModel? down = null)
    {
        var servers = new SimulatedServer[count];
        var endpoints = new IPEndPoint[count];
        for (int i = 0; i < count; i++)
        {
            servers[i] = new SimulatedServer();
            endpoints[i] = simulator.AddNode($"server{i}", servers[i]).Endpoint;
        }

        SimulatedNode clientNode = simulator.AddNode("client", client(endpoints), clientOptions);
        for (int i = 0; i < count; i++)
        {
            simulator.Network.SetLink(clientNode.Index, i, up ?? DelayModel.Lan);
            simulator.Network.SetLink(i, clientNode.Index, down ?? DelayModel.Lan);
        }

        return (clientNode, servers);
    }
}
