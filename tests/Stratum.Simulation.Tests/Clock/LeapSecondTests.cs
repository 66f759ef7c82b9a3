// Leap seconds in the kernel model (docs/simulation.md "Leap seconds"): STA_INS/STA_DEL arm the kernel,
// which inserts or deletes a second when the node's own clock reaches UTC midnight, with the states
// TIME_OK → TIME_INS/TIME_DEL → TIME_OOP → TIME_WAIT → TIME_OK.
using Stratum.Core.Wire;
using Stratum.Simulation.Clock;
using Stratum.Simulation.Nodes;

namespace Stratum.Simulation.Tests.Clock;

public class LeapSecondTests
{
    private const long Midnight = 1_767_225_600;

    [Fact]
    public void Insert_AtMidnight_RepeatsASecondThroughTheStates()
    {
        var simulator = new Simulator(new SimulatorOptions(StartUnixSeconds: Midnight - 100));
        SimulatedNode node = simulator.AddNode("a", new IdleClient());
        KernelDiscipline kernel = node.Clock.Kernel;
        node.Driver.SetStatus(LeapIndicator.InsertSecond, synchronized: true, 0.001, 0.001);
        Assert.Equal(KernelLeapState.Ok, kernel.LeapState);

        simulator.RunUntil(1);
        Assert.Equal(KernelLeapState.Insert, kernel.LeapState);
        Assert.Equal(Midnight, kernel.NextLeapSecond);

        simulator.RunUntil(99.5);
        Assert.Equal(0, node.Clock.TimeError, 9);
        long beforeLeap = node.Driver.ReadRealtimeNanoseconds();

        simulator.RunUntil(100.5);
        Assert.Equal(-1, node.Clock.TimeError, 9);
        Assert.Equal(KernelLeapState.InProgress, kernel.LeapState);
        Assert.Equal(beforeLeap, node.Driver.ReadRealtimeNanoseconds());

        simulator.RunUntil(101.5);
        Assert.Equal(KernelLeapState.Wait, kernel.LeapState);

        node.Driver.SetStatus(LeapIndicator.NoWarning, synchronized: true, 0.001, 0.001);
        simulator.RunUntil(103);
        Assert.Equal(KernelLeapState.Ok, kernel.LeapState);
        Assert.Equal(-1, node.Clock.TimeError, 9);
        Assert.Equal(103, node.Clock.Mono, 9);
    }

    [Fact]
    public void Delete_At235959_SkipsASecond()
    {
        var simulator = new Simulator(new SimulatorOptions(StartUnixSeconds: Midnight - 100));
        SimulatedNode node = simulator.AddNode("a", new IdleClient());
        node.Driver.SetStatus(LeapIndicator.DeleteSecond, synchronized: true, 0.001, 0.001);

        simulator.RunUntil(98.5);
        Assert.Equal(0, node.Clock.TimeError, 9);
        simulator.RunUntil(99.5);
        Assert.Equal(1, node.Clock.TimeError, 9);
        Assert.Equal(KernelLeapState.Wait, node.Clock.Kernel.LeapState);
    }

    [Fact]
    public void Insert_DisarmedBeforeMidnight_NoLeap()
    {
        var simulator = new Simulator(new SimulatorOptions(StartUnixSeconds: Midnight - 100));
        SimulatedNode node = simulator.AddNode("a", new IdleClient());
        node.Driver.SetStatus(LeapIndicator.InsertSecond, synchronized: true, 0.001, 0.001);
        simulator.RunUntil(50);
        node.Driver.SetStatus(LeapIndicator.NoWarning, synchronized: true, 0.001, 0.001);
        simulator.RunUntil(200);

        Assert.Equal(0, node.Clock.TimeError, 9);
        Assert.Equal(KernelLeapState.Ok, node.Clock.Kernel.LeapState);
    }
}
