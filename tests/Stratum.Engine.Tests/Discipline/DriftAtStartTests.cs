// The drift file's frequency reaches the clock when the Engine starts (ntpd sets it before the first
// poll), clamped to ±500 ppm; without a drift file, or with `disable ntp`, nothing is set.
using Stratum.Engine.Associations;

namespace Stratum.Engine.Tests.Discipline;

public class DriftAtStartTests
{
    private static IReadOnlyList<ClockAction> Start(bool discipline, double? drift)
    {
        var configuration = new EngineConfiguration([], [], discipline, DriftFrequency: drift);
        var engine = new NtpEngine(configuration, -20);
        var actions = new EngineActions();
        engine.Start(new EngineTestClock().Now, actions);
        return actions.ClockActions;
    }

    [Fact]
    public void DriftFrequency_SetAtStart()
    {
        ClockAction action = Assert.Single(Start(discipline: true, drift: -12.5e-6));
        Assert.Equal(ClockActionKind.SetFrequency, action.Kind);
        Assert.Equal(-12.5e-6, action.Value, 12);
    }

    [Fact]
    public void NoDriftFile_OrObserveOnly_NothingSet()
    {
        Assert.Empty(Start(discipline: true, drift: null));
        Assert.Empty(Start(discipline: false, drift: 3e-6));
    }
}
