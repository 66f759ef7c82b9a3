// The real Engine (SourceManager: filter, selection, discipline) in SIMULATION.md's scenario S1, with
// numeric pass criteria: one perfect server, 100 µs + Exp(100 µs) each way, client 0.1 s off and
// +100 ppm with random-walk wander, minpoll = maxpoll = 6. The other scenarios are in SyncScenarioTests.
namespace Stratum.Simulation.Tests.Scenarios;

public class EngineScenarioTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void S1_OneServer_SixHours_RmsUnder25Microseconds(int seed)
    {
        Scenario run = Scenario.Create(seed);
        run.RunUntil(6 * 3600);
        var report = run.Report($"S1 seed {seed}", output);
        Assert.Contains(run.Client.Notices, n => n.Text == "synchronized to 192.168.123.1, stratum 1");
        Scenario.AssertWithin(report, rms: 25e-6, max: 120e-6, sync: 120);
    }
}
