// The Linux kernel discipline model (docs/simulation.md "Kernel discipline"): the PLL slews
// offset / 2^(shift_pll + constant) each second, ADJ_OFFSET updates the frequency by
// offset × interval / (4·2^shift_pll·2^constant)², the FLL term joins at long intervals, the
// frequency is clamped to ±500 ppm, adjtime slews at 500 ppm, maxerror grows to STA_UNSYNC.
using Stratum.Core.Wire;
using Stratum.Simulation.Clock;
using Stratum.Simulation.Nodes;

namespace Stratum.Simulation.Tests.Clock;

public class KernelDisciplineTests
{
    private static KernelDiscipline PllKernel(int constant)
    {
        var kernel = new KernelDiscipline();
        kernel.SetStatus(KernelStatus.Pll | KernelStatus.Nanosecond, 0);
        kernel.SetTimeConstant(constant);
        return kernel;
    }

    [Fact]
    public void Pll_ConstantOffset_DecaysPerFormula()
    {
        var simulator = new Simulator();
        SimulatedNode node = simulator.AddNode("a", new IdleClient());
        node.Driver.ApplyKernelPllOffset(0.001, 4);
        simulator.RunUntil(100);

        double keep = 1 - (1.0 / (1 << (2 + 4)));
        // Kernel seconds run at ticks 1..100; the slew of tick 100 has not yet acted.
        Assert.Equal(0.001 * Math.Pow(keep, 100), node.Clock.Kernel.PllOffsetRemaining, 15);
        double slewed = 0.001 * (1 - Math.Pow(keep, 99));
        Assert.Equal(slewed, node.Clock.TimeError, 12);
        Assert.Equal(0, node.Clock.Kernel.FrequencyPpm);
    }

    [Fact]
    public void ApplyOffset_FrequencyUpdate_OffsetTimesIntervalOverSquare()
    {
        KernelDiscipline kernel = PllKernel(6);
        kernel.ApplyOffset(0.001, 0);
        Assert.Equal(0, kernel.FrequencyPpm);
        kernel.ApplyOffset(0.002, 64);

        double denominator = 4.0 * 4 * 64;
        Assert.Equal(0.002 * 64 / (denominator * denominator) * 1e6, kernel.FrequencyPpm, 12);
        Assert.Equal(0.002, kernel.PllOffsetRemaining);
        Assert.Equal(KernelStatus.None, kernel.Status & KernelStatus.FllMode);
    }

    [Fact]
    public void ApplyOffset_WithoutPll_Ignored()
    {
        var kernel = new KernelDiscipline();
        Assert.False(kernel.ApplyOffset(0.01, 0));
        Assert.Equal(0, kernel.PllOffsetRemaining);
    }

    [Fact]
    public void ApplyOffset_LongIntervalWithFll_AddsFllTerm()
    {
        KernelDiscipline kernel = PllKernel(6);
        kernel.SetStatus(kernel.Status | KernelStatus.Fll, 0);
        kernel.ApplyOffset(0.001, 512);

        double denominator = 4.0 * 4 * 64;
        double expected = (0.001 / (4 * 512)) + (0.001 * 512 / (denominator * denominator));
        Assert.Equal(expected * 1e6, kernel.FrequencyPpm, 9);
        Assert.Equal(KernelStatus.FllMode, kernel.Status & KernelStatus.FllMode);
    }

    [Fact]
    public void ApplyOffset_IntervalBeyond2048_FllTermEvenWithoutStaFll()
    {
        KernelDiscipline kernel = PllKernel(10);
        kernel.ApplyOffset(0.001, 4096);

        double denominator = 4.0 * 4 * 1024;
        double expected = (0.001 / (4 * 4096)) + (0.001 * 4096 / (denominator * denominator));
        Assert.Equal(expected * 1e6, kernel.FrequencyPpm, 9);
    }

    [Fact]
    public void ApplyOffset_MediumIntervalWithoutFll_NoFllTerm()
    {
        KernelDiscipline kernel = PllKernel(10);
        kernel.ApplyOffset(0.001, 1024);

        double denominator = 4.0 * 4 * 1024;
        Assert.Equal(0.001 * 1024 / (denominator * denominator) * 1e6, kernel.FrequencyPpm, 12);
    }

    [Fact]
    public void Frequency_ClampedTo500Ppm()
    {
        var kernel = new KernelDiscipline();
        kernel.SetFrequencyPpm(800);
        Assert.Equal(500, kernel.FrequencyPpm);
        kernel.SetFrequencyPpm(-501);
        Assert.Equal(-500, kernel.FrequencyPpm);

        KernelDiscipline pll = PllKernel(0);
        pll.ApplyOffset(0.5, 0);
        pll.ApplyOffset(0.5, 100_000);
        Assert.Equal(500, pll.FrequencyPpm);
    }

    [Fact]
    public void ApplyOffset_BeyondMaxPhase_Clamped()
    {
        KernelDiscipline kernel = PllKernel(4);
        kernel.ApplyOffset(3, 0);
        Assert.Equal(KernelDiscipline.MaxPhaseSeconds, kernel.PllOffsetRemaining);
    }

    [Theory]
    [InlineData(false, 2, 6)]
    [InlineData(true, 2, 2)]
    [InlineData(false, 9, 10)]
    [InlineData(true, -3, 0)]
    public void TimeConstant_PlusFourOutsideNano_CappedAtTen(bool nano, int constant, int expected)
    {
        var kernel = new KernelDiscipline();
        kernel.SetStatus(nano ? KernelStatus.Nanosecond : KernelStatus.None, 0);
        kernel.SetTimeConstant(constant);
        Assert.Equal(expected, kernel.TimeConstant);
    }

    [Fact]
    public void Tick_OutsideTenPercent_Rejected()
    {
        var kernel = new KernelDiscipline();
        Assert.False(kernel.SetTick(8999));
        Assert.False(kernel.SetTick(11001));
        Assert.True(kernel.SetTick(10010));
        Assert.Equal(1.001, kernel.RateFactor, 12);
    }

    [Fact]
    public void Tick_ChangesClockRate()
    {
        var simulator = new Simulator();
        SimulatedNode node = simulator.AddNode("a", new IdleClient());
        Assert.True(node.Clock.Kernel.SetTick(10_001));
        simulator.RunUntil(100);
        Assert.Equal(100 * 1e-4, node.Clock.TimeError, 12);
    }

    [Fact]
    public void SetFrequency_ThroughDriver_ChangesRateImmediately()
    {
        var simulator = new Simulator();
        SimulatedNode node = simulator.AddNode("a", new IdleClient(), new NodeOptions(FrequencyOffset: 1e-4));
        simulator.RunUntil(10.5);
        node.Driver.SetFrequency(-1e-4);
        simulator.RunUntil(20.5);

        Assert.Equal((10.5 * 1e-4) + (10 * ((1 + 1e-4) * (1 - 1e-4) - 1)), node.Clock.TimeError, 12);
        Assert.Equal(-100, node.Clock.Kernel.FrequencyPpm, 9);
    }

    [Fact]
    public void Adjtime_SlewsAt500Ppm()
    {
        var simulator = new Simulator();
        SimulatedNode node = simulator.AddNode("a", new IdleClient());
        node.Driver.Slew(0.01);
        simulator.RunUntil(11);
        // Seconds 1..10 have slewed (the slew begins at the first kernel second).
        Assert.Equal(0.005, node.Clock.TimeError, 12);
        simulator.RunUntil(30);
        Assert.Equal(0.01, node.Clock.TimeError, 12);
        Assert.Equal(0, node.Clock.Kernel.AdjtimeRemaining);
        Assert.Equal(0, node.Clock.FrequencyError, 15);
    }

    [Fact]
    public void Adjtime_Negative_PartialLastSecond()
    {
        var simulator = new Simulator();
        SimulatedNode node = simulator.AddNode("a", new IdleClient());
        node.Driver.Slew(-0.0012);
        simulator.RunUntil(3);
        Assert.Equal(-0.001, node.Clock.TimeError, 12);
        simulator.RunUntil(10);
        Assert.Equal(-0.0012, node.Clock.TimeError, 12);
    }

    [Fact]
    public void MaxError_GrowsAndSetsUnsyncAt16Seconds()
    {
        var simulator = new Simulator();
        SimulatedNode node = simulator.AddNode("a", new IdleClient());
        node.Driver.SetStatus(LeapIndicator.NoWarning, synchronized: true, maxErrorSeconds: 15.99, estimatedErrorSeconds: 0.001);
        Assert.Equal(KernelStatus.None, node.Clock.Kernel.Status & KernelStatus.Unsynchronized);

        simulator.RunUntil(10);
        Assert.Equal(15.995, node.Clock.Kernel.MaxErrorSeconds, 9);
        Assert.Equal(KernelStatus.None, node.Clock.Kernel.Status & KernelStatus.Unsynchronized);
        simulator.RunUntil(30);
        Assert.Equal(16, node.Clock.Kernel.MaxErrorSeconds);
        Assert.Equal(KernelStatus.Unsynchronized, node.Clock.Kernel.Status & KernelStatus.Unsynchronized);
    }
}
