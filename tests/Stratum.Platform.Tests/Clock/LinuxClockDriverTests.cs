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
    public void SetFrequency_ScalesPpmBy65536AndClamps()
    {
        var kernel = new RecordingAdjTimex();
        var driver = new LinuxClockDriver(kernel);
        driver.SetFrequency(12.5e-6);
        driver.SetFrequency(900e-6);
        Assert.Equal(TimexBits.ADJ_FREQUENCY, kernel.Requests[0].Modes);
        Assert.Equal(12.5 * 65536, kernel.Requests[0].Frequency);
        Assert.Equal(500 * 65536, kernel.Requests[1].Frequency);
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
    public void PendingSlew_AddsKernelPllRemainderInNanosecondsAndAdjtimeRemainder()
    {
        // adjtime: 250 µs left after this second's 500 µs chunk, at the start of the second: 750 µs to go.
        var kernel = new RecordingAdjTimex { AdjtimeRemaining = new Timeval { Seconds = 0, Microseconds = -250 } };
        var driver = new LinuxClockDriver(kernel);
        Assert.Equal(-750e-6, driver.PendingSlewSeconds, 12);
        Assert.All(kernel.Requests, static r => Assert.Equal(0u, r.Modes)); // reads, never a write

        driver.ApplyKernelPllOffset(0.001, 0);
        kernel.Status = TimexBits.STA_PLL | TimexBits.STA_FREQHOLD | TimexBits.STA_NANO;
        // 300 µs left in the PLL at 3/4 of a second with tc 0: this second's chunk was a third of that (100 µs),
        // a quarter of it still to come; adjtime: -250 µs plus a quarter of its -500 µs chunk.
        kernel.PllOffset = 300_000;
        kernel.TimeNanoseconds = 750_000_000;
        Assert.Equal(300e-6 + 25e-6 - 250e-6 - 125e-6, driver.PendingSlewSeconds, 12);
        Assert.Equal(0u, kernel.Requests[^1].Modes);
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
        Assert.Equal(TimexBits.ADJ_STATUS | TimexBits.ADJ_MAXERROR | TimexBits.ADJ_ESTERROR, write.Modes);
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
