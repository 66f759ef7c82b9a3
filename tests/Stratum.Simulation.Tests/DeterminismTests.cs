// Determinism (docs/simulation.md "Random numbers and determinism"): the same seed gives bit-identical runs; a different
// seed gives a different run. Also the runtime budget: a simulated day of one client and four
// servers at 1 Hz ticks and 64 s polls runs in well under 10 s.
using System.Diagnostics;
using Stratum.Simulation.Nodes;
using Stratum.Simulation.Tests.Nodes;

namespace Stratum.Simulation.Tests;

public class DeterminismTests
{
    private static (double[] TimeErrors, SntpMeasurement[] Measurements) Run(ulong seed, double seconds)
    {
        var simulator = new Simulator(new SimulatorOptions(Seed: seed));
        (SimulatedNode clientNode, SimulatedServer[] servers) = ScenarioHelpers.ClientWithServers(
            simulator, 4, endpoints => new SntpReferenceClient(endpoints), NodeOptions.ScenarioClient);
        servers[3].ServedOffsetSeconds = 0.005;
        simulator.RunUntil(seconds);
        var client = (SntpReferenceClient)clientNode.Program;
        return ([.. clientNode.Errors.TimeErrors], [.. client.Measurements]);
    }

    [Fact]
    public void SameSeed_IdenticalResults()
    {
        (double[] firstErrors, SntpMeasurement[] firstMeasurements) = Run(1, 3600);
        (double[] secondErrors, SntpMeasurement[] secondMeasurements) = Run(1, 3600);
        Assert.Equal(firstErrors, secondErrors);
        Assert.Equal(firstMeasurements, secondMeasurements);
    }

    [Fact]
    public void DifferentSeed_DifferentResults()
    {
        (double[] firstErrors, SntpMeasurement[] firstMeasurements) = Run(1, 3600);
        (double[] secondErrors, SntpMeasurement[] secondMeasurements) = Run(2, 3600);
        Assert.NotEqual(firstErrors, secondErrors);
        Assert.NotEqual(firstMeasurements, secondMeasurements);
    }

    [Fact]
    public void SimulatedDay_OneClientFourServers_RunsInSeconds()
    {
        Run(9, 600);
        var stopwatch = Stopwatch.StartNew();
        var simulator = new Simulator(new SimulatorOptions(Seed: 1));
        (SimulatedNode clientNode, _) = ScenarioHelpers.ClientWithServers(
            simulator, 4, endpoints => new SntpReferenceClient(endpoints), NodeOptions.ScenarioClient);
        simulator.RunUntil(86_400);
        stopwatch.Stop();

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"simulated day: {stopwatch.Elapsed.TotalSeconds:F3} s wall, {simulator.EventCount} events, {simulator.TickCount} ticks");
        Assert.Equal(86_400, clientNode.Errors.Count);
        // The client's clock runs 100 ppm fast, so its 64 s polls come 1351 times in a true day.
        Assert.Equal(4 * 1351, ((SntpReferenceClient)clientNode.Program).Measurements.Count);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }
}
