// FrequencySlew over LinuxClockDriver and a recording fake of clock_adjtime (the machine's clock is never
// touched): the rate, the tick and frequency written, the remainder known at every instant (on the
// monotonic clock the slew itself speeds up), the end at the deadline and the overslept part slewed back;
// and ClockActionApplier's choice between the kernel PLL and a frequency slew.
using Stratum.Engine;
using Stratum.Platform.Clock;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Tests.Clock;

public class FrequencySlewTests
{
    private const long Second = 1_000_000_000;

    [Fact]
    public void Start_LargeOffset_RunsAtMaxRateOnTopOfTheBase_RemainderExactOnTheSlewedMonotonicClock()
    {
        var kernel = new RecordingAdjTimex();
        var slew = new FrequencySlew(new LinuxClockDriver(kernel));
        slew.SetBaseFrequency(-100e-6);
        slew.Start(-0.1, 0);

        // 100 ms at 0.5 %: 20 true seconds, which the slowed monotonic clock counts as 19.9 s.
        Assert.Equal((long)Math.Round(20 * (1 - FrequencySlew.MaxRate) * Second), slew.Deadline);
        Timex write = kernel.Requests[^1];
        Assert.Equal(10_000 - 51, write.Tick);             // −5100 ppm through the tick …
        Assert.Equal(0, write.Frequency);                   // … and nothing left for the frequency
        Assert.Equal(-0.1, slew.Remaining(0), 12);
        Assert.Equal(-0.05, slew.Remaining(slew.Deadline / 2), 9);
        Assert.Equal(0, slew.Remaining(slew.Deadline), 12);
    }

    [Fact]
    public void SmallOffset_SpreadOverMinDuration()
    {
        var slew = new FrequencySlew(new LinuxClockDriver(new RecordingAdjTimex()));
        slew.Start(40e-6, 0);
        Assert.Equal(FrequencySlew.MinDuration, slew.Deadline / 1e9, 4);
        Assert.Equal(20e-6, slew.Remaining(slew.Deadline / 2), 12);
    }

    [Fact]
    public void OnDeadline_Late_RestoresTheBase_AndSlewsBackWhatRanOver()
    {
        var kernel = new RecordingAdjTimex();
        var slew = new FrequencySlew(new LinuxClockDriver(kernel));
        slew.SetBaseFrequency(20e-6);
        slew.Start(80e-6, 0); // 20 ppm for 4 s
        long late = slew.Deadline + (Second / 10);
        slew.OnDeadline(late);

        // 0.1 s too long at 20 ppm: 2 µs too far, slewed back over the next 4 s at −0.5 ppm.
        Assert.True(slew.Active);
        Assert.Equal(-2e-6, slew.Remaining(late), 9);
        Assert.InRange(kernel.Requests[^1].Frequency, (19.5e-6 * 65536e6) - 2, (19.5e-6 * 65536e6) + 2);

        slew.OnDeadline(slew.Deadline);
        Assert.False(slew.Active);
        Assert.Equal(20e-6 * 65536e6, kernel.Requests[^1].Frequency, 0);
        Assert.Equal(long.MaxValue, slew.Deadline);
    }

    [Fact]
    public void SetBaseFrequency_DuringASlew_KeepsTheRateOnTop()
    {
        var kernel = new RecordingAdjTimex();
        var slew = new FrequencySlew(new LinuxClockDriver(kernel));
        slew.Start(40e-6, 0); // 10 ppm
        slew.SetBaseFrequency(5e-6);
        Assert.Equal(15e-6 * 65536e6, kernel.Requests[^1].Frequency, 0);
        slew.Stop();
        Assert.Equal(5e-6 * 65536e6, kernel.Requests[^1].Frequency, 0);
    }

    [Fact]
    public void Applier_Kernel_SmallCorrectionsToThePll_LargeOnesByFrequency_UserSpaceAllByFrequency()
    {
        long now = 0;
        var kernel = new RecordingAdjTimex();
        var applier = new ClockActionApplier(new LinuxClockDriver(kernel, () => now), useKernel: true, slewByFrequency: true, () => now);

        Assert.Null(applier.Apply(new ClockAction(ClockActionKind.Slew, 0.1, 0)));
        Assert.NotEqual(long.MaxValue, applier.Deadline);
        Assert.DoesNotContain(kernel.Requests, static r => (r.Modes & TimexBits.ADJ_OFFSET) != 0);
        Assert.Equal(0.1, applier.ReadPendingSlew().Seconds, 9);

        now = applier.Deadline;
        applier.OnDeadline(now);
        Assert.Equal(long.MaxValue, applier.Deadline);
        Assert.Equal("kernel time sync enabled 2081", applier.Apply(new ClockAction(ClockActionKind.Slew, 200e-6, 0))?.Text);

        var user = new RecordingAdjTimex();
        var userApplier = new ClockActionApplier(new LinuxClockDriver(user, () => 0), useKernel: false, slewByFrequency: true, () => 0);
        Assert.Null(userApplier.Apply(new ClockAction(ClockActionKind.Slew, 200e-6, 0)));
        Assert.Empty(user.Slews);
        Assert.Equal(200e-6, userApplier.ReadPendingSlew().Seconds, 12);
    }
}
