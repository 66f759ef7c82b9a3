// LinuxClockDriver: the real system clock through clock_gettime and clock_adjtime/adjtime. Steps
// use ADJ_SETOFFSET (atomic, no read-modify-write race), slews use adjtime(3), the kernel PLL takes
// offsets with ADJ_OFFSET in nanosecond mode (STA_PLL | STA_NANO, "kernel time sync enabled") and
// STA_FREQHOLD: the kernel slews each offset out but leaves the frequency, which the daemon's own loop
// filter estimates and sets with ADJ_FREQUENCY, alone. With the kernel PPS discipline (a PPS driver's
// `fudge flag3 1`, KernelPps) the status word is STA_PLL | STA_PPSTIME | STA_PPSFREQ | STA_NANO instead:
// the kernel's hardpps takes phase and frequency from the pulses, as under ntpd.
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
    private readonly Func<long> _monotonicNow;

    public LinuxClockDriver()
        : this(LinuxAdjTimex.Instance, ClockGetTime.Monotonic)
    {
    }

    internal LinuxClockDriver(IAdjTimex kernel, Func<long>? monotonicNow = null)
    {
        _kernel = kernel;
        _monotonicNow = monotonicNow ?? ClockGetTime.Monotonic;
    }

    public string Name => "linux";

    public bool CanAdjust => true;

    /// <summary>True once the kernel PLL has been switched on by <see cref="ApplyKernelPllOffset"/>.</summary>
    public bool KernelPllEnabled { get; private set; }

    /// <summary>A PPS device is bound to the kernel (PPS_KC_HARDPPS): the PLL is switched on with STA_PPSTIME and
    /// STA_PPSFREQ, without STA_FREQHOLD, so the kernel disciplines phase and frequency from the pulses.</summary>
    public bool KernelPps { get; set; }

    /// <summary>The status word the kernel discipline is switched on with.</summary>
    public int KernelStatusWord => KernelPps
        ? TimexBits.STA_PLL | TimexBits.STA_PPSTIME | TimexBits.STA_PPSFREQ | TimexBits.STA_NANO
        : TimexBits.STA_PLL | TimexBits.STA_FREQHOLD | TimexBits.STA_NANO;

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
            CancelPllOffset();
        }

        long micros = (long)Math.Round((offsetSeconds - state.InFlightThisSecond) * 1e6);
        ClockWriteResult result = Result(_kernel.AdjTime(new Timeval { Seconds = micros / 1_000_000, Microseconds = micros % 1_000_000 }));
        if (result.Succeeded)
        {
            _pll = default;
            _adjtime = new WrittenSlew(micros, state.ChunkThisSecond, _monotonicNow());
        }

        return result;
    }

    // The kernel PLL's remainder to zero (the current second's chunk still runs).
    private void CancelPllOffset()
    {
        var cancel = new Timex { Modes = TimexBits.ADJ_OFFSET | TimexBits.ADJ_NANO, Offset = 0 };
        _kernel.ClockAdjTime(ref cancel);
    }

    /// <summary>Up to ±500 ppm with ADJ_FREQUENCY alone; beyond, for a slew, the tick length (1 µs of the
    /// 10 ms USER_HZ tick is 100 ppm; the kernel allows ±10 %) takes the whole multiples of 100 ppm and
    /// ADJ_FREQUENCY the rest, in one call.</summary>
    public ClockWriteResult SetFrequency(double frequency)
    {
        double wanted = Math.Clamp(frequency, -MaxSlewFrequency, MaxSlewFrequency);
        long tickDelta = Math.Abs(wanted) <= MaxKernelFrequency ? 0 : (long)Math.Truncate(wanted / TickStepFrequency);
        double rest = Math.Clamp(wanted - (tickDelta * TickStepFrequency), -MaxKernelFrequency, MaxKernelFrequency);
        var timex = new Timex { Modes = TimexBits.ADJ_FREQUENCY | TimexBits.ADJ_NANO, Frequency = (long)Math.Round(rest * KernelFrequencyScale) };
        if (tickDelta != 0 || _tickChanged)
        {
            timex.Modes |= TimexBits.ADJ_TICK;
            timex.Tick = BaseTickMicroseconds + tickDelta;
        }

        ClockWriteResult result = Result(_kernel.ClockAdjTime(ref timex));
        if (result.Succeeded)
        {
            _tickChanged = tickDelta != 0;
        }

        return result;
    }

    /// <summary>The tick length reaches ±10 %; slews use at most 5 %.</summary>
    public double MaxSlewFrequency => 0.05;

    /// <inheritdoc/>
    public double CancelSlew()
    {
        SlewState state = ReadSlewState();
        if (state.PllRemaining == 0 && state.AdjtimeRemaining == 0)
        {
            return state.InFlightThisSecond;
        }

        if (state.PllRemaining != 0)
        {
            CancelPllOffset();
        }

        if (state.AdjtimeRemaining != 0)
        {
            _kernel.AdjTime(default);
        }

        // The chunk in flight stays; it is remembered once, with the slew that ReadSlewState consults.
        var written = new WrittenSlew(0, state.ChunkThisSecond, _monotonicNow());
        (_pll, _adjtime) = KernelPllEnabled ? (written, default(WrittenSlew)) : (default(WrittenSlew), written);
        return state.InFlightThisSecond;
    }

    private const double MaxKernelFrequency = 500e-6;
    private const double TickStepFrequency = 100e-6;
    private const long BaseTickMicroseconds = 10_000;
    private bool _tickChanged;

    /// <summary>Hands an offset to the kernel PLL with time constant <paramref name="timeConstant"/>; the
    /// first call switches the PLL on. As with <see cref="Slew"/>, the clock moves by
    /// <paramref name="offsetSeconds"/> from now on in total: this second's chunk is left out and a pending
    /// adjtime is cancelled.</summary>
    public ClockWriteResult ApplyKernelPllOffset(double offsetSeconds, int timeConstant)
    {
        SlewState state = ReadSlewState();
        if (state.AdjtimeRemaining != 0)
        {
            _kernel.AdjTime(default);
        }

        long offsetNanoseconds = (long)Math.Round(Math.Clamp(offsetSeconds - state.InFlightThisSecond, -MaxPllOffset, MaxPllOffset) * 1e9);
        var timex = new Timex
        {
            Modes = TimexBits.ADJ_OFFSET | TimexBits.ADJ_TIMECONST | TimexBits.ADJ_NANO,
            Offset = offsetNanoseconds,
            Constant = Math.Clamp(timeConstant, 0, 10),
        };
        if (!KernelPllEnabled)
        {
            timex.Modes |= TimexBits.ADJ_STATUS;
            timex.Status = KernelStatusWord;
        }

        ClockWriteResult result = Result(_kernel.ClockAdjTime(ref timex));
        KernelPllEnabled |= result.Outcome == ClockWriteOutcome.Applied;
        if (result.Succeeded)
        {
            _adjtime = default;
            _pll = new WrittenSlew(offsetNanoseconds, state.ChunkThisSecond, _monotonicNow());
        }

        return result;
    }

    /// <summary>What the kernel still has to slew: the PLL's remaining offset and adjtime's remainder,
    /// plus the part of this second's chunk not yet slewed. 0 when nothing can be read.</summary>
    public double PendingSlewSeconds => ReadPendingSlew().Seconds;

    /// <inheritdoc/>
    public PendingSlew ReadPendingSlew()
    {
        SlewState state = ReadSlewState();
        return new PendingSlew(state.PllRemaining + state.AdjtimeRemaining + state.InFlightThisSecond, state.Uncertainty);
    }

    /// <remarks>
    /// The kernel (Linux second_overflow; the simulators that model it do the same) slews in chunks: at each
    /// second boundary it takes the chunk for the coming second out of the pending offset — for the PLL
    /// offset / 2^(SHIFT_PLL + tc) with SHIFT_PLL = 2, for adjtime 500 µs or what is left — and spreads it
    /// over that second. A write replaces the pending offset but not the chunk of the current second, which
    /// keeps the schedule of the offset before it. So what is still to come is the pending offset plus the
    /// unslewed part of the current chunk, and the chunk is known from our own last write: until the first
    /// boundary after it (the remainder still reads as written, less than a second ago) it is the chunk we
    /// found then; afterwards it follows from the remainder (the PLL's r/(2^(2+tc) − 1)). How much of the
    /// chunk is unslewed depends on where in the second we are: the kernel returns its time with the status
    /// (the boundary is at its whole seconds); when it does not (time 0), half the chunk is the estimate and
    /// half the chunk the uncertainty, which the Engine adds to the sample's error bound.
    /// </remarks>
    private SlewState ReadSlewState()
    {
        double pllRemaining = 0;
        double chunk = 0;
        double adjtimeRemaining = 0;
        double elapsedFraction = 0.5;
        double fractionUncertainty = 0.5;
        long now = _monotonicNow();
        var read = new Timex();
        if (_kernel.ClockAdjTime(ref read) >= 0)
        {
            double unitsPerSecond = (read.Status & TimexBits.STA_NANO) != 0 ? 1e9 : 1e6;
            if (read.Time.Seconds != 0 || read.Time.Microseconds != 0)
            {
                elapsedFraction = Math.Clamp(read.Time.Microseconds / unitsPerSecond, 0, 1);
                fractionUncertainty = TickFraction;
            }

            if (KernelPllEnabled && (read.Status & TimexBits.STA_PLL) != 0)
            {
                pllRemaining = read.Offset / unitsPerSecond;
                long remainingNanoseconds = unitsPerSecond == 1e9 ? read.Offset : read.Offset * 1000;
                chunk += _pll.BeforeFirstBoundary(remainingNanoseconds, now)
                    ? _pll.ChunkAtWrite
                    : pllRemaining / (Math.ScaleB(1.0, 2 + (int)Math.Clamp(read.Constant, 0, 10)) - 1);
            }
        }

        if (_kernel.ReadAdjTime(out Timeval remaining) >= 0)
        {
            adjtimeRemaining = remaining.Seconds + (remaining.Microseconds / 1e6);
            chunk += _adjtime.BeforeFirstBoundary((remaining.Seconds * 1_000_000) + remaining.Microseconds, now)
                ? _adjtime.ChunkAtWrite
                : AdjtimeChunkAfterBoundary(adjtimeRemaining, now);
        }

        return new SlewState(pllRemaining, adjtimeRemaining, chunk, chunk * (1 - elapsedFraction), Math.Abs(chunk) * fractionUncertainty);
    }

    // adjtime's chunk after a boundary: the full rate while more remains; once nothing remains, the last
    // chunk is what was left, which only our own write tells (a correction within the rate is taken whole
    // at the first boundary after it; it has surely ended two seconds after the write).
    private double AdjtimeChunkAfterBoundary(double remaining, long now) =>
        remaining != 0 ? Math.CopySign(AdjtimeRate, remaining)
        : _adjtime.Active && now - _adjtime.WrittenAt < 2 * NanosecondsPerSecond && Math.Abs(_adjtime.Written) <= AdjtimeRate * 1e6 ? _adjtime.Written * 1e-6
        : 0;

    private const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>How well the kernel's own time places us in its second: a tick at HZ 100.</summary>
    private const double TickFraction = 0.01;

    private WrittenSlew _pll;
    private WrittenSlew _adjtime;

    // Our last write of one kind of slew: the remainder as written in the kernel's unit (ns for the PLL, µs
    // for adjtime), the chunk in flight when it was written (seconds), and when (monotonic ns).
    private readonly record struct WrittenSlew(long Written, double ChunkAtWrite, long WrittenAt)
    {
        public bool Active => WrittenAt != 0;

        // True while the kernel cannot have reached a second boundary since the write.
        public bool BeforeFirstBoundary(long remaining, long now) =>
            Active && remaining == Written && now - WrittenAt < NanosecondsPerSecond;
    }

    private readonly record struct SlewState(double PllRemaining, double AdjtimeRemaining, double ChunkThisSecond, double InFlightThisSecond, double Uncertainty);

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
