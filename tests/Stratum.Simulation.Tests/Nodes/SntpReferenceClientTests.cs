// The reference SNTP client and the simulated server together: the server's reply is a proper
// mode 4 from the real ServerResponder; the client measures a server's configured offset to within
// the delay asymmetry bound (|θ − offset| ≤ δ/2); falsetickers, steps, losses and timers on a fast
// clock behave as the model says.
using Stratum.Core.Wire;
using Stratum.Engine.Server;
using Stratum.Simulation.Network;
using Stratum.Simulation.Nodes;

namespace Stratum.Simulation.Tests.Nodes;

public class SntpReferenceClientTests
{
    [Fact]
    public void Measure_ServerClockOffset_WithinAsymmetryBound()
    {
        var simulator = new Simulator(new SimulatorOptions(Seed: 4));
        var server = new SimulatedServer();
        SimulatedNode serverNode = simulator.AddNode("server", server, new NodeOptions(InitialOffsetSeconds: 0.005));
        var client = new SntpReferenceClient(serverNode.Endpoint);
        SimulatedNode clientNode = simulator.AddNode("client", client);
        simulator.Network.SetLink(clientNode.Index, serverNode.Index, new DelayModel(1e-4, 5e-4));
        simulator.Network.SetLink(serverNode.Index, clientNode.Index, DelayModel.Lan);
        simulator.RunUntil(3600);

        Assert.InRange(client.Measurements.Count, 56, 57);
        Assert.Equal(0, client.RejectedReplies);
        Assert.Equal(client.Measurements.Count, server.Counters.Received);
        foreach (SntpMeasurement measurement in client.Measurements)
        {
            Assert.InRange(measurement.DelaySeconds, 2e-4, 0.1);
            Assert.True(Math.Abs(measurement.OffsetSeconds - 0.005) <= (measurement.DelaySeconds / 2) + 1e-9);
        }

        // Mean up 600 µs, down 200 µs: θ − offset = (up − down)/2 averages +200 µs.
        double meanBias = client.Measurements.Average(m => m.OffsetSeconds - 0.005);
        Assert.InRange(meanBias, 120e-6, 280e-6);
    }

    [Fact]
    public void Falseticker_ServedOffset_MeasuredWhileServerClockIsRight()
    {
        var simulator = new Simulator(new SimulatorOptions(Seed: 5));
        (SimulatedNode clientNode, SimulatedServer[] servers) = ScenarioHelpers.ClientWithServers(simulator, 4, endpoints => new SntpReferenceClient(endpoints));
        servers[3].ServedOffsetSeconds = 0.005;
        simulator.RunUntil(1000);

        var client = (SntpReferenceClient)clientNode.Program;
        Assert.Equal(4 * 16, client.Measurements.Count);
        foreach (SntpMeasurement measurement in client.Measurements)
        {
            double expected = measurement.ServerIndex == 3 ? 0.005 : 0;
            Assert.True(Math.Abs(measurement.OffsetSeconds - expected) <= (measurement.DelaySeconds / 2) + 1e-9);
        }

        Assert.Equal(0, simulator.Nodes[3].Clock.TimeError, 12);
    }

    [Fact]
    public void ServerStep_Scheduled_ShowsInMeasurements()
    {
        var simulator = new Simulator(new SimulatorOptions(Seed: 6));
        (SimulatedNode clientNode, _) = ScenarioHelpers.ClientWithServers(simulator, 1, endpoints => new SntpReferenceClient(endpoints));
        SimulatedNode server = simulator.Nodes[0];
        simulator.ScheduleAt(500, () => server.Driver.Step(1.0));
        simulator.RunUntil(1000);

        var client = (SntpReferenceClient)clientNode.Program;
        foreach (SntpMeasurement measurement in client.Measurements)
        {
            double expected = measurement.LocalUnixSeconds - simulator.Options.StartUnixSeconds < 500 ? 0 : 1;
            Assert.Equal(expected, measurement.OffsetSeconds, 2);
        }

        Assert.Equal(1, server.Driver.StepCount);
    }

    [Fact]
    public void Loss_TwentyPercent_FewerMeasurements()
    {
        var simulator = new Simulator(new SimulatorOptions(Seed: 8));
        var lossy = new DelayModel(1e-4, 1e-4, LossProbability: 0.2);
        (SimulatedNode clientNode, _) = ScenarioHelpers.ClientWithServers(simulator, 1, endpoints => new SntpReferenceClient(endpoints), up: lossy, down: lossy);
        simulator.RunUntil(86_400);

        var client = (SntpReferenceClient)clientNode.Program;
        int polls = 1350;
        double answered = client.Measurements.Count / (double)polls;
        Assert.InRange(answered, 0.64 - 0.05, 0.64 + 0.05);
    }

    [Fact]
    public void Timer_FastClock_PollsOnItsOwnMonotonicClock()
    {
        var simulator = new Simulator();
        (SimulatedNode clientNode, _) = ScenarioHelpers.ClientWithServers(
            simulator, 1, endpoints => new SntpReferenceClient(endpoints, 64), new NodeOptions(FrequencyOffset: 500e-6));
        simulator.RunUntil(64 * 100 / (1 + 500e-6) + 0.01);

        var client = (SntpReferenceClient)clientNode.Program;
        // Polls at local 0, 64, …, 6400 s: 101 requests, the last answered within the run.
        Assert.Equal(101, client.Measurements.Count);
    }

    [Fact]
    public void SteppingClient_StepsToMeasuredOffset()
    {
        var simulator = new Simulator(new SimulatorOptions(Seed: 3));
        (SimulatedNode clientNode, _) = ScenarioHelpers.ClientWithServers(
            simulator, 1, endpoints => new SteppingReferenceClient(endpoints[0], 64, 1e-3), new NodeOptions(InitialOffsetSeconds: 0.1));
        simulator.RunUntil(100);

        var client = (SteppingReferenceClient)clientNode.Program;
        Assert.Equal(1, client.Steps);
        Assert.Equal(1, clientNode.Driver.StepCount);
        Assert.InRange(Math.Abs(clientNode.Clock.TimeError), 0, 1e-3);
        // The first reply arrives within a millisecond, before the first tick is recorded.
        Assert.Equal(0, clientNode.Errors.ConvergenceTime(1e-3));
    }
}
