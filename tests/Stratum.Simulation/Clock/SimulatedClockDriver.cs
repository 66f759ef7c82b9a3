// SimulatedClockDriver: the IClockDriver of a simulated node (ARCHITECTURE.md §5). Reads return the
// node's SimulatedClock; Step moves `time`; Slew is a singleshot adjtime at 500 ppm; SetFrequency
// is ADJ_FREQUENCY (±500 ppm clamp); SetStatus sets STA_INS/STA_DEL/STA_UNSYNC and the error
// estimates. ApplyKernelPllOffset is the kernel-PLL entry (ADJ_OFFSET | ADJ_TIMECONST with STA_PLL,
// STA_FREQHOLD and STA_NANO, as LinuxClockDriver sends it; without FREQHOLD, as ntpd's loop filter
// calls ntp_adjtime, when HoldKernelFrequency is false).
// Kernel receive stamps are already on this clock, so MapKernelRealtime is the identity.
using Stratum.Core.Wire;
using Stratum.Platform.Clock;

namespace Stratum.Simulation.Clock;

/// <summary>IClockDriver over a simulated node clock.</summary>
public sealed class SimulatedClockDriver : IClockDriver
{
    public SimulatedClockDriver(SimulatedClock clock)
    {
        Clock = clock;
    }

    /// <summary>The clock this driver reads and adjusts.</summary>
    public SimulatedClock Clock { get; }

    /// <summary>Number of steps applied, for test assertions.</summary>
    public int StepCount { get; private set; }

    public string Name => "simulated";

    public bool CanAdjust => true;

    public long ReadRealtimeNanoseconds() => Clock.RealtimeNanoseconds;

    public long ReadMonotonicNanoseconds() => Clock.MonotonicNanoseconds;

    public long MapKernelRealtime(long kernelRealtimeNanoseconds) => kernelRealtimeNanoseconds;

    public ClockWriteResult Step(double offsetSeconds)
    {
        Clock.Step(offsetSeconds);
        StepCount++;
        return ClockWriteResult.Applied;
    }

    /// <summary>adjtime: the clock moves by <paramref name="offsetSeconds"/> from now on in total. The
    /// chunks the kernel is slewing in this second cannot be taken back, so adjtime gets the rest, and a
    /// PLL offset still pending is cancelled (IClockDriver.Slew's contract).</summary>
    public ClockWriteResult Slew(double offsetSeconds)
    {
        Clock.Synchronize();
        KernelDiscipline kernel = Clock.Kernel;
        double committed = CommittedThisSecond;
        if ((kernel.Status & KernelStatus.Pll) != 0 && kernel.PllOffsetRemaining != 0)
        {
            kernel.ApplyOffset(0, Clock.UnixSeconds);
        }

        kernel.StartAdjtime(offsetSeconds - committed);
        return ClockWriteResult.Applied;
    }

    // What this second's adjtime and PLL chunks will still slew before the next kernel second.
    private double CommittedThisSecond =>
        (Clock.Kernel.AdjtimeSlewRate + Clock.Kernel.PllSlewRate) * Clock.KernelSecondRemaining;

    /// <summary>What the kernel still has to slew: adjtime's remainder plus, with the PLL on, its offset
    /// and the part of this second's chunks not yet applied.</summary>
    public double PendingSlewSeconds
    {
        get
        {
            Clock.Synchronize();
            KernelDiscipline kernel = Clock.Kernel;
            return kernel.AdjtimeRemaining + ((kernel.Status & KernelStatus.Pll) != 0 ? kernel.PllOffsetRemaining : 0) + CommittedThisSecond;
        }
    }

    /// <summary>Sets STA_FREQHOLD with the PLL, as LinuxClockDriver does (true by default).</summary>
    public bool HoldKernelFrequency { get; set; } = true;

    public ClockWriteResult SetFrequency(double frequency)
    {
        Clock.Synchronize();
        Clock.Kernel.SetFrequencyPpm(frequency * 1e6);
        return ClockWriteResult.Applied;
    }

    public ClockWriteResult SetStatus(LeapIndicator leap, bool synchronized, double maxErrorSeconds, double estimatedErrorSeconds)
    {
        Clock.Synchronize();
        KernelStatus status = Clock.Kernel.Status & ~(KernelStatus.InsertLeap | KernelStatus.DeleteLeap | KernelStatus.Unsynchronized);
        status |= leap switch
        {
            LeapIndicator.InsertSecond => KernelStatus.InsertLeap,
            LeapIndicator.DeleteSecond => KernelStatus.DeleteLeap,
            _ => KernelStatus.None,
        };
        if (!synchronized)
        {
            status |= KernelStatus.Unsynchronized;
        }

        Clock.Kernel.SetStatus(status, Clock.UnixSeconds);
        Clock.Kernel.SetErrorEstimates(maxErrorSeconds, estimatedErrorSeconds);
        return ClockWriteResult.Applied;
    }

    /// <summary>
    /// The kernel-PLL entry of IClockDriver: ntp_adjtime with MOD_OFFSET | MOD_TIMECONST |
    /// MOD_STATUS (STA_PLL | STA_NANO). Sets the time constant (<paramref name="timeConstant"/>, ntpd's
    /// poll exponent, no +4 in nanosecond mode), then hands <paramref name="offsetSeconds"/> to the
    /// kernel PLL, which slews it out over the following seconds and updates the frequency.
    /// </summary>
    public ClockWriteResult ApplyKernelPllOffset(double offsetSeconds, int timeConstant)
    {
        Clock.Synchronize();
        KernelDiscipline kernel = Clock.Kernel;
        KernelStatus hold = HoldKernelFrequency ? KernelStatus.FrequencyHold : KernelStatus.None;
        kernel.SetStatus(kernel.Status | KernelStatus.Pll | KernelStatus.Nanosecond | hold, Clock.UnixSeconds);
        kernel.SetTimeConstant(timeConstant);
        double committed = CommittedThisSecond;
        if (kernel.AdjtimeRemaining != 0)
        {
            kernel.StartAdjtime(0);
        }

        kernel.ApplyOffset(offsetSeconds - committed, Clock.UnixSeconds);
        return ClockWriteResult.Applied;
    }

    /// <summary>Turns the kernel PLL off (STA_PLL cleared), as `disable kernel` does.</summary>
    public ClockWriteResult DisableKernelPll()
    {
        Clock.Synchronize();
        Clock.Kernel.SetStatus(Clock.Kernel.Status & ~KernelStatus.Pll, Clock.UnixSeconds);
        return ClockWriteResult.Applied;
    }
}
