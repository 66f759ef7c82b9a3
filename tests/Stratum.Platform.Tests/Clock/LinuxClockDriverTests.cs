// LinuxClockDriver's kernel requests, checked against a recording fake of clock_adjtime/adjtime:
// no test reaches the real calls with a write mode (the machine's clock is never touched).
using Stratum.Core.Wire;
using Stratum.Platform.Clock;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Tests.Clock;

public class LinuxClockDriverTests
{
    [Theory]
    [InlineData(0.25, 0, 250_000_000)]
    [InlineData(-1.5, -2, 500_000_000)]
    [InlineData(-0.000000001, -1, 999_999_999)]
    public void Step_UsesSetOffsetInNanoseconds(double offset, long seconds, long nanoseconds)
    {
        var kernel = new RecordingAdjTimex();
        Assert.Equal(ClockWriteOutcome.Applied, new LinuxClockDriver(kernel).Step(offset).Outcome);
        Timex request = Assert.Single(kernel.Requests);
        Assert.Equal(TimexBits.ADJ_SETOFFSET | TimexBits.ADJ_NANO, request.Modes);
        Assert.Equal(seconds, request.Time.Seconds);
        Assert.Equal(nanoseconds, request.Time.Microseconds);
    }

    [Fact]
    public void Slew_UsesAdjtimeInMicroseconds()
    {
        var kernel = new RecordingAdjTimex();
        new LinuxClockDriver(kernel).Slew(-0.0125);
        Timeval delta = Assert.Single(kernel.Slews);
        Assert.Equal(0, delta.Seconds);
        Assert.Equal(-12_500, delta.Microseconds);
    }

    [Fact]
    public void SetFrequency_ScalesPpmBy65536_BeyondMaxFrequencyTheTickTakesWhole100PpmSteps()
    {
        var kernel = new RecordingAdjTimex();
        var driver = new LinuxClockDriver(kernel);
        driver.SetFrequency(12.5e-6);
        driver.SetFrequency(-5.0125e-3);  // a slew: tick −50 µs (−5000 ppm), −12.5 ppm through the frequency
        driver.SetFrequency(12.5e-6);     // back: the tick is restored once
        driver.SetFrequency(12.5e-6);
        driver.SetFrequency(0.9);         // clamped to MaxSlewFrequency (5 %)
        Assert.Equal(TimexBits.ADJ_FREQUENCY | TimexBits.ADJ_NANO, kernel.Requests[0].Modes);
        Assert.Equal(12.5 * 65536, kernel.Requests[0].Frequency);
        Assert.Equal(TimexBits.ADJ_FREQUENCY | TimexBits.ADJ_TICK | TimexBits.ADJ_NANO, kernel.Requests[1].Modes);
        Assert.Equal(10_000 - 50, kernel.Requests[1].Tick);
        Assert.Equal(-12.5 * 65536, kernel.Requests[1].Frequency, 3);
        Assert.Equal(10_000, kernel.Requests[2].Tick);
        Assert.NotEqual(0u, kernel.Requests[2].Modes & TimexBits.ADJ_TICK);
        Assert.Equal(0u, kernel.Requests[3].Modes & TimexBits.ADJ_TICK);
        Assert.Equal(10_000 + 500, kernel.Requests[4].Tick);
    }

    [Fact]
    public void KernelPps_PllSwitchedOnWithPpsTimeAndFrequency_WithoutFrequencyHold()
    {
        var kernel = new RecordingAdjTimex();
        var driver = new LinuxClockDriver(kernel) { KernelPps = true };
        driver.ApplyKernelPllOffset(0.000123, 2);
        Timex first = kernel.Requests.Find(static r => r.Modes != 0);
        Assert.Equal(TimexBits.STA_PLL | TimexBits.STA_PPSTIME | TimexBits.STA_PPSFREQ | TimexBits.STA_NANO, first.Status);
        Assert.Equal(0x2007, driver.KernelStatusWord);
    }

    [Fact]
    public void KernelPll_FirstCallEnablesPllInNanoMode_LaterCallsOnlyOffset()
    {
        var kernel = new RecordingAdjTimex();
        var driver = new LinuxClockDriver(kernel);
        driver.ApplyKernelPllOffset(0.000123, 2);
        driver.ApplyKernelPllOffset(2.0, 12);
        List<Timex> writes = kernel.Requests.FindAll(static r => r.Modes != 0);
        Timex first = writes[0];
        Assert.Equal(TimexBits.ADJ_OFFSET | TimexBits.ADJ_TIMECONST | TimexBits.ADJ_NANO | TimexBits.ADJ_STATUS, first.Modes);
        Assert.Equal(TimexBits.STA_PLL | TimexBits.STA_FREQHOLD | TimexBits.STA_NANO, first.Status);
        Assert.Equal(123_000, first.Offset);
        Assert.Equal(2, first.Constant);
        Timex second = writes[1];
        Assert.Equal(TimexBits.ADJ_OFFSET | TimexBits.ADJ_TIMECONST | TimexBits.ADJ_NANO, second.Modes);
        Assert.Equal(500_000_000, second.Offset); // clamped to the kernel's 0.5 s
        Assert.Equal(10, second.Constant);
        Assert.True(driver.KernelPllEnabled);
    }

    [Fact]
    public void PendingSlew_AdjtimeRemainderPlusTheUnslewedPartOfThisSecondsChunk()
    {
        // adjtime: 250 µs left after this second's 500 µs chunk, at the start of the second: 750 µs to go.
        var kernel = new RecordingAdjTimex { AdjtimeRemaining = new Timeval { Seconds = 0, Microseconds = -250 }, TimeSeconds = 1, TimeNanoseconds = 0 };
        var driver = new LinuxClockDriver(kernel, () => 5_000_000_000);
        PendingSlew pending = driver.ReadPendingSlew();
        Assert.Equal(-750e-6, pending.Seconds, 12);
        Assert.Equal(5e-6, pending.Uncertainty, 12); // the kernel's time places us within a tick (1 %) of the chunk
        Assert.All(kernel.Requests, static r => Assert.Equal(0u, r.Modes)); // reads, never a write
    }

    [Fact]
    public void PendingSlew_RightAfterAPllWrite_IsTheOffsetWritten_TheChunkInFlightIsTheOldOne()
    {
        long now = 10_000_000_000;
        var kernel = new RecordingAdjTimex { TimeSeconds = 1, TimeNanoseconds = 250_000_000 };
        var driver = new LinuxClockDriver(kernel, () => now);
        driver.ApplyKernelPllOffset(0.001, 0);
        kernel.Status = TimexBits.STA_PLL | TimexBits.STA_FREQHOLD | TimexBits.STA_NANO;
        kernel.PllOffset = 1_000_000; // as written: no second boundary since, this second's chunk was 0
        now += 300_000_000;
        Assert.Equal(new PendingSlew(0.001, 0), driver.ReadPendingSlew());
    }

    [Fact]
    public void PendingSlew_AfterABoundary_ThePllChunkIsAThirdOfTheRemainder_PlacedByTheKernelsTime()
    {
        long now = 10_000_000_000;
        var kernel = new RecordingAdjTimex { TimeSeconds = 1 };
        var driver = new LinuxClockDriver(kernel, () => now);
        driver.ApplyKernelPllOffset(0.0004, 0);
        kernel.Status = TimexBits.STA_PLL | TimexBits.STA_FREQHOLD | TimexBits.STA_NANO;
        // One boundary later the kernel took a quarter (100 µs) for this second and 300 µs remain; at 3/4 of
        // the second a quarter of the chunk is still to come.
        kernel.PllOffset = 300_000;
        kernel.TimeNanoseconds = 750_000_000;
        now += 1_200_000_000;
        PendingSlew pending = driver.ReadPendingSlew();
        Assert.Equal(300e-6 + 25e-6, pending.Seconds, 12);
        Assert.Equal(1e-6, pending.Uncertainty, 12);

        // A kernel (or simulator) that does not return its time: half the chunk is the estimate and half
        // the chunk the uncertainty.
        kernel.TimeSeconds = 0;
        kernel.TimeNanoseconds = 0;
        pending = driver.ReadPendingSlew();
        Assert.Equal(300e-6 + 50e-6, pending.Seconds, 12);
        Assert.Equal(50e-6, pending.Uncertainty, 12);
    }

    [Fact]
    public void Slew_LeavesOutWhatThisSecondStillSlews_AndCancelsAPendingPllOffset()
    {
        var kernel = new RecordingAdjTimex();
        var driver = new LinuxClockDriver(kernel);
        driver.ApplyKernelPllOffset(0.001, 0);
        kernel.Status = TimexBits.STA_PLL | TimexBits.STA_FREQHOLD | TimexBits.STA_NANO;
        kernel.PllOffset = 300_000;
        kernel.TimeNanoseconds = 500_000_000; // half of this second's 100 µs chunk is still to come

        driver.Slew(0.002);
        Timex cancel = kernel.Requests.FindLast(static r => r.Modes != 0);
        Assert.Equal(TimexBits.ADJ_OFFSET | TimexBits.ADJ_NANO, cancel.Modes);
        Assert.Equal(0, cancel.Offset);
        Assert.Equal(2000 - 50, kernel.Slews[^1].Microseconds);
    }

    [Fact]
    public void SetStatus_ReadsThenWritesLeapAndUnsyncBits()
    {
        var kernel = new RecordingAdjTimex { Status = TimexBits.STA_PLL | TimexBits.STA_UNSYNC };
        new LinuxClockDriver(kernel).SetStatus(LeapIndicator.InsertSecond, synchronized: true, 0.01, 0.001);
        Assert.Equal(2, kernel.Requests.Count);
        Assert.Equal(0u, kernel.Requests[0].Modes);
        Timex write = kernel.Requests[1];
        Assert.Equal(TimexBits.ADJ_STATUS | TimexBits.ADJ_MAXERROR | TimexBits.ADJ_ESTERROR | TimexBits.ADJ_NANO, write.Modes);
        Assert.Equal(TimexBits.STA_PLL | TimexBits.STA_INS, write.Status);
        Assert.Equal(10_000, write.MaxError);
        Assert.Equal(1_000, write.EstError);
    }

    [Fact]
    public void Write_WithoutCapability_IsPermissionDenied()
    {
        var kernel = new RecordingAdjTimex { Errno = 1 };
        var driver = new LinuxClockDriver(kernel);
        ClockWriteResult result = driver.Step(1);
        Assert.Equal(ClockWriteOutcome.PermissionDenied, result.Outcome);
        Assert.Equal("Operation not permitted", result.Detail);
        Assert.Equal(ClockWriteOutcome.PermissionDenied, driver.ApplyKernelPllOffset(0.001, 2).Outcome);
        Assert.False(driver.KernelPllEnabled);
    }

    [Fact]
    public void ReadKernelState_RealKernel_ReadsOnly()
    {
        KernelClockState state = LinuxClockDriver.ReadKernelState();
        Assert.True(state.ClockState >= 0);
    }
}
