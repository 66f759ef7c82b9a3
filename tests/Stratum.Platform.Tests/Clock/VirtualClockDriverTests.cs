// The virtual clock's mapping: offset, frequency, steps and frequency changes land on the
// virtual clock only, and the mapping stays continuous when the frequency changes.
using Stratum.Platform.Clock;

namespace Stratum.Platform.Tests.Clock;

public class VirtualClockDriverTests
{
    private long _real = 1_795_000_000L * 1_000_000_000;

    private VirtualClockDriver Create(double offset, double frequency) =>
        new(offset, frequency, () => _real, () => _real);

    [Fact]
    public void Read_OffsetAndFrequency_MapRealTime()
    {
        VirtualClockDriver clock = Create(0.050, 10e-6);
        Assert.Equal(_real + 50_000_000, clock.ReadRealtimeNanoseconds());
        _real += 1_000_000_000;
        Assert.Equal(_real + 50_000_000 + 10_000, clock.ReadRealtimeNanoseconds());
        Assert.Equal(0.05001, clock.OffsetFromRealSeconds(), 9);
    }

    [Fact]
    public void Step_MovesOnlyTheVirtualClock()
    {
        VirtualClockDriver clock = Create(0, 0);
        Assert.True(clock.Step(-0.25).Succeeded);
        Assert.Equal(_real - 250_000_000, clock.ReadRealtimeNanoseconds());
        Assert.Equal(_real - 250_000_000, clock.MapKernelRealtime(_real));
    }

    [Fact]
    public void SetFrequency_KeepsPhaseContinuous()
    {
        VirtualClockDriver clock = Create(0, 100e-6);
        _real += 10_000_000_000;
        long before = clock.ReadRealtimeNanoseconds();
        clock.SetFrequency(-50e-6);
        Assert.Equal(before, clock.ReadRealtimeNanoseconds());
        _real += 1_000_000_000;
        Assert.Equal(before + 1_000_000_000 - 50_000, clock.ReadRealtimeNanoseconds());
    }

    [Fact]
    public void ObserveOnly_IgnoresWritesAndReportsOnce()
    {
        var reported = new List<string>();
        var clock = new ObserveOnlyClockDriver(reported.Add);
        Assert.Equal(ClockWriteOutcome.Ignored, clock.Step(1).Outcome);
        Assert.Equal(ClockWriteOutcome.Ignored, clock.SetFrequency(1e-6).Outcome);
        Assert.Equal(2, clock.IgnoredWrites);
        Assert.Equal(["step"], reported);
        Assert.False(clock.CanAdjust);
    }

    [Fact]
    public void PrecisionProbe_RealClock_IsBelowAMicrosecond()
    {
        (sbyte exponent, double step) = PrecisionProbe.Measure(new ObserveOnlyClockDriver());
        Assert.InRange(exponent, -30, -10);
        Assert.True(step < 1e-3);
    }
}
