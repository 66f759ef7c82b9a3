// SimulatedClockDriver as the daemon sees it: readings in Unix/monotonic nanoseconds from the run's
// start time, the LoopTime a node program gets, kernel-PLL on and off, and scheduled actions.
using Stratum.Core.Time;
using Stratum.Engine;
using Stratum.Simulation.Clock;
using Stratum.Simulation.Nodes;

namespace Stratum.Simulation.Tests.Clock;

public class SimulatedClockDriverTests
{
    [Fact]
    public void Read_StartTimePlusOffset_AndMonotonicFromZero()
    {
        var simulator = new Simulator(new SimulatorOptions(StartUnixSeconds: 1_800_000_000));
        SimulatedNode node = simulator.AddNode("a", new IdleClient(), new NodeOptions(InitialOffsetSeconds: 0.25));
        simulator.RunUntil(10);

        Assert.Equal((1_800_000_010L * 1_000_000_000) + 250_000_000, node.Driver.ReadRealtimeNanoseconds());
        Assert.Equal(10_000_000_000, node.Driver.ReadMonotonicNanoseconds());
        Assert.Equal(12345, node.Driver.MapKernelRealtime(12345));
        LoopTime now = node.Context.Now;
        Assert.Equal(10_000_000_000, now.Mono);
        Assert.Equal(NtpTimestamp.FromUnixNanoseconds((1_800_000_010L * 1_000_000_000) + 250_000_000), now.Real);
    }

    [Fact]
    public void KernelPll_EnableThenDisable_StatusFollows()
    {
        var simulator = new Simulator();
        SimulatedNode node = simulator.AddNode("a", new IdleClient());
        node.Driver.ApplyKernelPllOffset(0.001, 6);
        Assert.Equal(KernelStatus.Pll | KernelStatus.Nanosecond, node.Clock.Kernel.Status & (KernelStatus.Pll | KernelStatus.Nanosecond));
        Assert.Equal(6, node.Clock.Kernel.TimeConstant);

        node.Driver.DisableKernelPll();
        Assert.Equal(KernelStatus.None, node.Clock.Kernel.Status & KernelStatus.Pll);
        Assert.Equal(KernelStatus.Unsynchronized, node.Clock.Kernel.Status & KernelStatus.Unsynchronized);
    }

    [Fact]
    public void ScheduleAt_RunsAtThatTrueTime_AndRefusesThePast()
    {
        var simulator = new Simulator();
        SimulatedNode node = simulator.AddNode("a", new IdleClient());
        double ranAt = -1;
        simulator.ScheduleAt(12.25, () => ranAt = simulator.Time.Now);
        simulator.RunUntil(20);

        Assert.Equal(12.25, ranAt);
        Assert.Throws<ArgumentOutOfRangeException>(() => simulator.ScheduleAt(5, () => { }));
        Assert.Equal(20, node.Errors.Count);
    }
}
