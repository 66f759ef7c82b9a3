// The PPS driver (type 22) over a simulated PPS device: a pulse's reading is minus its distance to the
// nearest whole second; only a pulse with a new sequence number counts; the clear edge is used with
// flag2; no pulses, no sample and leap 3; a missing device is refused with the reason; flag3 binds the
// chosen edge to the kernel's PPS discipline, and a refusal is reported with its reason.
using Stratum.Core.Wire;
using Stratum.Platform.Refclock;

namespace Stratum.Platform.Tests.Refclock;

public class PpsRefclockTests
{
    private sealed class SimulatedPps : IPpsDevice
    {
        public uint AssertSequence { get; set; }

        public long AssertTime { get; set; }

        public uint ClearSequence { get; set; }

        public long ClearTime { get; set; }

        public bool TryFetch(bool clearEdge, out uint sequence, out long unixNanoseconds)
        {
            sequence = clearEdge ? ClearSequence : AssertSequence;
            unixNanoseconds = clearEdge ? ClearTime : AssertTime;
            return true;
        }

        public int BindError { get; set; }

        public bool? BoundClearEdge { get; private set; }

        public int BindKernel(bool clearEdge)
        {
            BoundClearEdge = BindError == 0 ? clearEdge : null;
            return BindError;
        }

        public void Dispose()
        {
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Flag3_BindsTheChosenEdgeToTheKernel(bool clearEdge)
    {
        var device = new SimulatedPps();
        using var driver = new PpsRefclock(0, device, clearEdge);
        Assert.Null(driver.BindKernel());
        Assert.True(driver.KernelBound);
        Assert.Equal(clearEdge, device.BoundClearEdge);
    }

    [Fact]
    public void Flag3_Refused_SaysWhy()
    {
        var device = new SimulatedPps { BindError = 1 };
        using var driver = new PpsRefclock(2, device, clearEdge: false);
        Assert.Equal("PPS(2): cannot bind to the kernel PPS discipline: Operation not permitted", driver.BindKernel());
        Assert.False(driver.KernelBound);
    }

    private const long Second = 1_000_000_000;
    private const long Epoch = 1_796_644_800L * Second;

    [Theory]
    [InlineData(120_000, -0.000120)] // the pulse 120 µs after our second: our clock is ahead
    [InlineData(999_999_000, 0.000001)] // 1 µs before our second: behind
    [InlineData(500_000_000, 0.5)]
    [InlineData(499_999_999, -0.499999999)]
    public void AReading_IsMinusTheDistanceToTheNearestSecond(long nanosecondsIntoTheSecond, double expected) =>
        Assert.Equal(expected, PpsRefclock.OffsetOfPulse(Epoch + nanosecondsIntoTheSecond), 9);

    [Fact]
    public void NewPulsesOnly_BecomeReadings_AndASample()
    {
        var device = new SimulatedPps();
        using var driver = new PpsRefclock(0, device, clearEdge: false);
        driver.Read();
        Assert.Equal(LeapIndicator.Unsynchronized, driver.Leap);
        Assert.False(driver.TakeSample(out _, out _));

        for (uint pulse = 1; pulse <= 5; pulse++)
        {
            device.AssertSequence = pulse;
            device.AssertTime = Epoch + (pulse * Second) + 10_000 + (pulse * 100); // 10.1-10.5 µs late
            driver.Read();
            driver.Read(); // the same pulse again: ignored
        }

        Assert.Equal(5, driver.Pulses);
        Assert.Equal(LeapIndicator.NoWarning, driver.Leap);
        Assert.True(driver.TakeSample(out double offset, out double jitter));
        Assert.Equal(-0.0000103, offset, 9); // the middle 60 %: pulses 2-4
        Assert.InRange(jitter, 0, 0.000001);
    }

    [Fact]
    public void Flag2_TakesTheClearEdge()
    {
        var device = new SimulatedPps { AssertSequence = 7, AssertTime = Epoch + 300_000, ClearSequence = 7, ClearTime = Epoch + 200_000_000 + 5_000 };
        using var driver = new PpsRefclock(0, device, clearEdge: true);
        driver.Read();
        Assert.True(driver.TakeSample(out double offset, out _));
        Assert.Equal(-0.200005, offset, 9);
    }

    [Fact]
    public void AMissingOrWrongDevice_IsRefused()
    {
        Assert.Null(PpsRefclock.Open(0, "/nonexistent/pps0", false, out string? error));
        Assert.StartsWith("PPS(0): cannot open /nonexistent/pps0: ", error, StringComparison.Ordinal);
        Assert.Null(PpsRefclock.Open(0, "/dev/null", false, out error));
        Assert.StartsWith("PPS(0): /dev/null is not a PPS device: ", error, StringComparison.Ordinal);
    }
}
