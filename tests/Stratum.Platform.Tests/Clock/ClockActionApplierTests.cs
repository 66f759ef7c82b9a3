// ClockActionApplier over LinuxClockDriver and a recording fake of clock_adjtime (the machine's clock is
// never touched): the first offset the kernel PLL accepts is logged as ntpd's "kernel time sync enabled"
// with the status word it was given, once; `disable kernel` and offsets beyond MAXPHASE go through adjtime
// without that line; a refused write is reported once, and the PLL is then not claimed as enabled.
using Stratum.Engine;
using Stratum.Platform.Clock;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Tests.Clock;

public class ClockActionApplierTests
{
    private static ClockAction Slew(double seconds) => new(ClockActionKind.Slew, seconds, TimeConstant: 4);

    [Fact]
    public void FirstKernelPllOffset_LogsKernelTimeSyncEnabledWithTheStatusWordWritten_Once()
    {
        var kernel = new RecordingAdjTimex();
        var applier = new ClockActionApplier(new LinuxClockDriver(kernel), useKernel: true);

        ClockActionReport? report = applier.Apply(Slew(0.000250));

        Assert.Equal(new ClockActionReport(false, "kernel time sync enabled 2081") { KernelEnabled = true }, report);
        Assert.True(applier.KernelEnabled);
        // The word logged is the status the kernel was given: STA_PLL | STA_FREQHOLD | STA_NANO.
        Timex enable = kernel.Requests.Find(static r => (r.Modes & TimexBits.ADJ_STATUS) != 0);
        Assert.Equal(ClockActionApplier.KernelStatusWord, enable.Status);
        Assert.Equal("2081", enable.Status.ToString("x4", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Null(applier.Apply(Slew(-0.000100)));
        Assert.Null(applier.Apply(new ClockAction(ClockActionKind.SetFrequency, 12e-6)));
        Assert.Null(applier.Apply(Slew(0.000050)));
    }

    [Fact]
    public void DisableKernel_SlewsWithAdjtime_NoKernelTimeSyncLine()
    {
        var kernel = new RecordingAdjTimex();
        var applier = new ClockActionApplier(new LinuxClockDriver(kernel), useKernel: false);

        Assert.Null(applier.Apply(Slew(0.000250)));
        Assert.Null(applier.Apply(Slew(0.000100)));

        Assert.False(applier.KernelEnabled);
        Assert.Equal(2, kernel.Slews.Count);
        Assert.DoesNotContain(kernel.Requests, static r => (r.Modes & TimexBits.ADJ_OFFSET) != 0);
    }

    [Fact]
    public void OffsetBeyondMaxPhase_GoesThroughAdjtime_KernelLineWaitsForTheFirstPllOffset()
    {
        var kernel = new RecordingAdjTimex();
        var applier = new ClockActionApplier(new LinuxClockDriver(kernel), useKernel: true);

        Assert.Null(applier.Apply(Slew(0.8)));
        Assert.Single(kernel.Slews);
        Assert.False(applier.KernelEnabled);

        Assert.Equal("kernel time sync enabled 2081", applier.Apply(Slew(0.001))?.Text);
    }

    [Fact]
    public void KernelRefuses_FailureReportedOnce_KernelTimeSyncNeverClaimed()
    {
        var kernel = new RecordingAdjTimex { Errno = 1 };
        var applier = new ClockActionApplier(new LinuxClockDriver(kernel), useKernel: true);

        ClockActionReport? first = applier.Apply(Slew(0.000250));
        Assert.Equal(new ClockActionReport(true, "cannot adjust the clock (Slew): Operation not permitted (needs root or CAP_SYS_TIME)"), first);
        Assert.Null(applier.Apply(Slew(0.000250)));
        Assert.Null(applier.Apply(new ClockAction(ClockActionKind.Step, 1)));
        Assert.False(applier.KernelEnabled);
    }

    [Fact]
    public void ObserveOnly_WritesIgnored_NoKernelTimeSyncLine()
    {
        var applier = new ClockActionApplier(new ObserveOnlyClockDriver(), useKernel: true);
        Assert.Null(applier.Apply(Slew(0.000250)));
        Assert.Null(applier.Apply(new ClockAction(ClockActionKind.Step, 0.5)));
        Assert.False(applier.KernelEnabled);
    }
}
