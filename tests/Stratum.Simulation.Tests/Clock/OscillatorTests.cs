// The oscillator model (docs/simulation.md "Oscillator"): a constant frequency offset integrates
// exactly into time, mono and raw; the random-walk wander grows as σ√t (checked statistically over
// many seeded streams), independent of the tick rate.
using Stratum.Simulation.Clock;
using Stratum.Simulation.Nodes;
using Stratum.Simulation.Randomness;

namespace Stratum.Simulation.Tests.Clock;

public class OscillatorTests
{
    [Fact]
    public void ConstantOffset_IntegratesExactly()
    {
        var simulator = new Simulator();
        SimulatedNode node = simulator.AddNode("a", new IdleClient(), new NodeOptions(InitialOffsetSeconds: 0.1, FrequencyOffset: 1e-4));
        simulator.RunUntil(1000.5);

        Assert.Equal(0.1 + (1000.5 * 1e-4), node.Clock.TimeError, 12);
        Assert.Equal(1000.5 * (1 + 1e-4), node.Clock.Mono, 9);
        Assert.Equal(1000.5 * (1 + 1e-4), node.Clock.Raw, 9);
        Assert.Equal(1e-4, node.Clock.FrequencyError, 15);
        Assert.Equal(1000, node.Errors.Count);
        Assert.Equal(0.1 + (500 * 1e-4), node.Errors.TimeErrors[499], 12);
    }

    [Fact]
    public void Step_MovesOnlyTime()
    {
        var simulator = new Simulator();
        SimulatedNode node = simulator.AddNode("a", new IdleClient());
        simulator.RunUntil(10);
        node.Driver.Step(-2.5);
        simulator.RunUntil(20);

        Assert.Equal(-2.5, node.Clock.TimeError, 12);
        Assert.Equal(20, node.Clock.Mono, 12);
        Assert.Equal(20, node.Clock.Raw, 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Wander_GrowsAsSigmaRootT(int tickRate)
    {
        const double sigma = 1e-9;
        const int seconds = 3600;
        const int oscillators = 300;
        var master = new SimulationRandom(42);
        double sumSquares = 0;
        for (int i = 0; i < oscillators; i++)
        {
            var oscillator = new Oscillator(0, sigma, tickRate, master.CreateStream());
            for (int tick = 0; tick < seconds * tickRate; tick++)
            {
                oscillator.Tick();
            }

            sumSquares += oscillator.Wander * oscillator.Wander;
        }

        double observed = Math.Sqrt(sumSquares / oscillators);
        double expected = sigma * Math.Sqrt(seconds);
        // 300 samples: the RMS estimate's relative standard error is about 1/sqrt(600) ≈ 4 %.
        Assert.InRange(observed / expected, 0.88, 1.12);
    }

    [Fact]
    public void Wander_ShowsInTheNodesFrequencyError()
    {
        var simulator = new Simulator(new SimulatorOptions(Seed: 3));
        SimulatedNode node = simulator.AddNode("a", new IdleClient(), new NodeOptions(FrequencyOffset: 1e-4, WanderSigma: 1e-9));
        simulator.RunUntil(3600);

        double wander = node.Clock.FrequencyError - 1e-4;
        Assert.NotEqual(0, wander);
        Assert.InRange(Math.Abs(wander), 0, 5 * 1e-9 * Math.Sqrt(3600));
    }
}
