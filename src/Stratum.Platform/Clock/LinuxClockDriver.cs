// LinuxClockDriver: the real system clock through clock_gettime and clock_adjtime/adjtime. Steps
// use ADJ_SETOFFSET (atomic, no read-modify-write race), slews use adjtime(3), the kernel PLL takes
// offsets with ADJ_OFFSET in nanosecond mode (STA_PLL | STA_NANO, "kernel time sync enabled") and
// STA_FREQHOLD: the kernel slews each offset out but leaves the frequency, which the daemon's own loop
// filter estimates and sets with ADJ_FREQUENCY, alone.
// Without CAP_SYS_TIME every write returns PermissionDenied, which callers report. The kernel calls
// go through IAdjTimex so tests check each request against a recording fake.
using Stratum.Core.Wire;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Clock;

/// <summary>Reads and adjusts CLOCK_REALTIME.</summary>
public sealed class LinuxClockDriver : IClockDriver
{
    /// <summary>Kernel frequency unit: ppm with a 16-bit binary fraction.</summary>
    private const double KernelFrequencyScale = 65536e6;

    /// <summary>The kernel accepts PLL offsets up to ±0.5 s (MAXPHASE).</summary>
    private const double MaxPllOffset = 0.5;

    /// <summary>adjtime(3) slews at 500 µs per second (MAX_TICKADJ).</summary>
    private const double AdjtimeRate = 500e-6;

    private readonly IAdjTimex _kernel;

    public LinuxClockDriver()
        : this(LinuxAdjTimex.Instance)
    {
    }

    internal LinuxClockDriver(IAdjTimex kernel)
    {
        _kernel = kernel;
    }

    public string Name => "linux";

    public bool CanAdjust => true;

    /// <summary>True once the kernel PLL has been switched on by <see cref="ApplyKernelPllOffset"/>.</summary>
    public bool KernelPllEnabled { get; private set; }

    public long ReadRealtimeNanoseconds() => ClockGetTime.Realtime();

    public long ReadMonotonicNanoseconds() => ClockGetTime.Monotonic();

    public long MapKernelRealtime(long kernelRealtimeNanoseconds) => kernelRealtimeNanoseconds;

    public ClockWriteResult Step(double offsetSeconds)
    {
        long nanos = (long)Math.Round(offsetSeconds * 1e9);
        long seconds = Math.DivRem(nanos, 1_000_000_000, out long rem);
        if (rem < 0)
        {
            rem += 1_000_000_000;
            seconds--;
        }

        var timex = new Timex { Modes = TimexBits.ADJ_SETOFFSET | TimexBits.ADJ_NANO };
        timex.Time.Seconds = seconds;
        timex.Time.Microseconds = rem;
        return Result(_kernel.ClockAdjTime(ref timex));
    }

    /// <summary>adjtime(3): the clock moves by <paramref name="offsetSeconds"/> from now on in total; what the
    /// kernel slews in the current second is left out, and a pending PLL offset is cancelled.</summary>
    public ClockWriteResult Slew(double offsetSeconds)
    {
        SlewState state = ReadSlewState();
        if (state.PllRemaining != 0)
        {
            var cancel = new Timex { Modes = TimexBits.ADJ_OFFSET | TimexBits.ADJ_NANO, Offset = 0 };
            _kernel.ClockAdjTime(ref cancel);
        }

        long micros = (long)Math.Round((offsetSeconds - state.CommittedThisSecond) * 1e6);
        return Result(_kernel.AdjTime(new Timeval { Seconds = micros / 1_000_000, Microseconds = micros % 1_000_000 }));
    }

    public ClockWriteResult SetFrequency(double frequency)
    {
        double scaled = Math.Clamp(frequency, -500e-6, 500e-6) * KernelFrequencyScale;
        var timex = new Timex { Modes = TimexBits.ADJ_FREQUENCY, Frequency = (long)Math.Round(scaled) };
        return Result(_kernel.ClockAdjTime(ref timex));
    }

    /// <summary>Hands an offset to the kernel PLL with time constant <paramref name="timeConstant"/>; the
    /// first call switches the PLL on. As with <see cref="Slew"/>, the clock moves by
    /// <paramref name="offsetSeconds"/> from now on in total: this second's chunks are left out and a pending
    /// adjtime is cancelled.</summary>
    public ClockWriteResult ApplyKernelPllOffset(double offsetSeconds, int timeConstant)
    {
        SlewState state = ReadSlewState();
        if (state.AdjtimeRemaining != 0)
        {
            _kernel.AdjTime(default);
        }

        var timex = new Timex
        {
            Modes = TimexBits.ADJ_OFFSET | TimexBits.ADJ_TIMECONST | TimexBits.ADJ_NANO,
            Offset = (long)Math.Round(Math.Clamp(offsetSeconds - state.CommittedThisSecond, -MaxPllOffset, MaxPllOffset) * 1e9),
            Constant = Math.Clamp(timeConstant, 0, 10),
        };
        if (!KernelPllEnabled)
        {
            timex.Modes |= TimexBits.ADJ_STATUS;
            timex.Status = TimexBits.STA_PLL | TimexBits.STA_FREQHOLD | TimexBits.STA_NANO;
        }

        ClockWriteResult result = Result(_kernel.ClockAdjTime(ref timex));
        KernelPllEnabled |= result.Outcome == ClockWriteOutcome.Applied;
        return result;
    }

    /// <summary>What the kernel still has to slew: the PLL's remaining offset and adjtime's remainder,
    /// plus the parts of this second's chunks not yet slewed. 0 when nothing can be read.</summary>
    public double PendingSlewSeconds
    {
        get
        {
            SlewState state = ReadSlewState();
            return state.PllRemaining + state.AdjtimeRemaining + state.CommittedThisSecond;
        }
    }

    /// <remarks>Linux takes each second's chunk out of the pending offset at the second boundary and slews
    /// it during that second: for the PLL offset / 2^(SHIFT_PLL + tc) with SHIFT_PLL = 2 (a quarter of the
    /// offset at tc 0), for adjtime 500 µs. The chunk of the current second cannot be taken back, so it
    /// counts as pending, and a new correction must leave it out.</remarks>
    private SlewState ReadSlewState()
    {
        double pllRemaining = 0;
        double committed = 0;
        double adjtimeRemaining = 0;
        double restOfSecond = 1;
        var read = new Timex();
        if (_kernel.ClockAdjTime(ref read) >= 0)
        {
            double unitsPerSecond = (read.Status & TimexBits.STA_NANO) != 0 ? 1e9 : 1e6;
            restOfSecond = 1 - Math.Clamp(read.Time.Microseconds / unitsPerSecond, 0, 1);
            if (KernelPllEnabled && (read.Status & TimexBits.STA_PLL) != 0)
            {
                pllRemaining = read.Offset / unitsPerSecond;
                double chunk = pllRemaining / (Math.ScaleB(1.0, 2 + (int)Math.Clamp(read.Constant, 0, 10)) - 1);
                committed += chunk * restOfSecond;
            }
        }

        if (_kernel.ReadAdjTime(out Timeval remaining) >= 0)
        {
            adjtimeRemaining = remaining.Seconds + (remaining.Microseconds / 1e6);
            if (adjtimeRemaining != 0)
            {
                committed += Math.CopySign(AdjtimeRate, adjtimeRemaining) * restOfSecond;
            }
        }

        return new SlewState(pllRemaining, adjtimeRemaining, committed);
    }

    private readonly record struct SlewState(double PllRemaining, double AdjtimeRemaining, double CommittedThisSecond);

    public ClockWriteResult SetStatus(LeapIndicator leap, bool synchronized, double maxErrorSeconds, double estimatedErrorSeconds)
    {
        var read = new Timex();
        if (_kernel.ClockAdjTime(ref read) < 0)
        {
            return Result(-1);
        }

        int status = read.Status & ~(TimexBits.STA_INS | TimexBits.STA_DEL | TimexBits.STA_UNSYNC);
        status |= leap switch
        {
            LeapIndicator.InsertSecond => TimexBits.STA_INS,
            LeapIndicator.DeleteSecond => TimexBits.STA_DEL,
            _ => 0,
        };
        if (!synchronized)
        {
            status |= TimexBits.STA_UNSYNC;
        }

        var timex = new Timex
        {
            // ADJ_NANO as in every write: the kernel PLL's offset is in nanoseconds, and a status write
            // without it may leave the kernel (or a model of it) reading that offset as microseconds.
            Modes = TimexBits.ADJ_STATUS | TimexBits.ADJ_MAXERROR | TimexBits.ADJ_ESTERROR | TimexBits.ADJ_NANO,
            Status = status,
            MaxError = (long)Math.Min(maxErrorSeconds * 1e6, 16_000_000),
            EstError = (long)Math.Min(estimatedErrorSeconds * 1e6, 16_000_000),
        };
        return Result(_kernel.ClockAdjTime(ref timex));
    }

    /// <summary>Reads the kernel discipline state without changing it (modes = 0).</summary>
    public static KernelClockState ReadKernelState()
    {
        var timex = new Timex();
        int state = LinuxAdjTimex.Instance.ClockAdjTime(ref timex);
        return new KernelClockState(state, timex.Status, timex.Frequency / KernelFrequencyScale, timex.Offset, timex.MaxError, timex.EstError);
    }

    /// <summary>The kernel discipline's variables for mode 6 (ntpq kerninfo): a read-only
    /// clock_adjtime (modes = 0); null when the call fails.</summary>
    public static Stratum.Engine.Control.KernelLoopState? ReadKernelLoop()
    {
        var timex = new Timex();
        if (LinuxAdjTimex.Instance.ClockAdjTime(ref timex) < 0)
        {
            return null;
        }

        return new Stratum.Engine.Control.KernelLoopState(timex.Offset, timex.Frequency, timex.MaxError, timex.EstError,
            timex.Status, timex.Constant, timex.Precision, timex.Tolerance, timex.PpsFrequency, timex.Jitter, timex.Shift,
            timex.Stability, timex.JitterCount, timex.CalibrationCount, timex.ErrorCount, timex.StabilityCount);
    }

    private ClockWriteResult Result(int returnValue)
    {
        if (returnValue >= 0)
        {
            return ClockWriteResult.Applied;
        }

        int errno = _kernel.LastError;
        var outcome = errno == Libc.EPERM ? ClockWriteOutcome.PermissionDenied : ClockWriteOutcome.Failed;
        return new ClockWriteResult(outcome, errno, Libc.ErrorText(errno));
    }
}

/// <summary>A read-only snapshot of the kernel clock discipline (adjtimex with modes = 0).</summary>
public readonly record struct KernelClockState(int ClockState, int Status, double Frequency, long Offset, long MaxErrorMicroseconds, long EstErrorMicroseconds);
