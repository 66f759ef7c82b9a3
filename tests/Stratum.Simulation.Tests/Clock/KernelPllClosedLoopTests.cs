// End to end through the kernel model: the SNTP reference client hands each measured offset to the
// simulated kernel PLL (ApplyKernelPllOffset with constant 6, as ntpd does at poll 6). This is not
// ntpd's discipline, only a check that measurement, driver and kernel model close a stable loop:
// from S1's start (0.1 s, +100 ppm, wander) the kernel pulls time and frequency in, slowly (a pure
// PLL at constant 6 needs hours from 100 ppm; ntpd adds its own frequency estimate at start).
using Stratum.Simulation.Measurement;
using Stratum.Simulation.Nodes;
using Stratum.Simulation.Tests.Nodes;

namespace Stratum.Simulation.Tests.Clock;

public class KernelPllClosedLoopTests
{
    [Fact]
    public void KernelPll_ScenarioS1_ConvergesAndStaysClose()
    {
        var simulator = new Simulator(new SimulatorOptions(Seed: 1));
        (SimulatedNode client, _) = ScenarioHelpers.ClientWithServers(
            simulator, 1,
            endpoints => new SntpReferenceClient(endpoints[0], 64, (context, measurement) => { context.Clock.HoldKernelFrequency = false; context.Clock.ApplyKernelPllOffset(measurement.OffsetSeconds, 6); }),
            NodeOptions.ScenarioClient);
        simulator.RunUntil(6 * 3600);

        ErrorStatistics time = client.Errors.TimeErrorStatistics(fromTrueTime: 5 * 3600);
        ErrorStatistics frequency = client.Errors.FrequencyErrorStatistics(fromTrueTime: 5 * 3600);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"5–6 h: RMS {time.Rms * 1e6:F1} µs, max {time.MaxAbsolute * 1e6:F1} µs, mean {time.Mean * 1e6:F1} µs, " +
            $"RMS freq {frequency.Rms * 1e9:F0} ppb; < 1 ms & < 500 ppm after {client.Errors.ConvergenceTime(1e-3, 500e-6)} s");
        Assert.InRange(time.MaxAbsolute, 0, 1e-3);
        Assert.InRange(frequency.Rms, 0, 1e-6);
        Assert.InRange(client.Clock.Kernel.FrequencyPpm, -110, -90);
    }
}
