// LinuxClockDriver: the real system clock through clock_gettime and clock_adjtime/adjtime. Steps
// use ADJ_SETOFFSET (atomic, no read-modify-write race), slews use adjtime(3). Without
// CAP_SYS_TIME every write returns PermissionDenied, which callers report. The kernel PLL and the
// daemon's discipline arrive with the sync-engine work; ntpdate (step/slew) uses this driver today.
using Stratum.Core.Wire;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Clock;

/// <summary>Reads and adjusts CLOCK_REALTIME.</summary>
public sealed class LinuxClockDriver : IClockDriver
{
    /// <summary>Kernel frequency unit: ppm with a 16-bit binary fraction.</summary>
    private const double KernelFrequencyScale = 65536e6;

    public string Name => "linux";

    public bool CanAdjust => true;

    public long ReadRealtimeNanoseconds() => ClockGetTime.Realtime();

    public long ReadMonotonicNanoseconds() => ClockGetTime.Monotonic();

    public long MapKernelRealtime(long kernelRealtimeNanoseconds) => kernelRealtimeNanoseconds;

    public unsafe ClockWriteResult Step(double offsetSeconds)
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
        return Result(TimexCall.ClockAdjTime(Libc.CLOCK_REALTIME, &timex));
    }

    public unsafe ClockWriteResult Slew(double offsetSeconds)
    {
        long micros = (long)Math.Round(offsetSeconds * 1e6);
        var delta = new Timeval { Seconds = micros / 1_000_000, Microseconds = micros % 1_000_000 };
        return Result(AdjTimeCall.AdjTime(&delta, null));
    }

    public unsafe ClockWriteResult SetFrequency(double frequency)
    {
        double scaled = Math.Clamp(frequency, -500e-6, 500e-6) * KernelFrequencyScale;
        var timex = new Timex { Modes = TimexBits.ADJ_FREQUENCY, Frequency = (long)Math.Round(scaled) };
        return Result(TimexCall.ClockAdjTime(Libc.CLOCK_REALTIME, &timex));
    }

    public unsafe ClockWriteResult SetStatus(LeapIndicator leap, bool synchronized, double maxErrorSeconds, double estimatedErrorSeconds)
    {
        var read = new Timex();
        if (TimexCall.ClockAdjTime(Libc.CLOCK_REALTIME, &read) < 0)
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
            Modes = TimexBits.ADJ_STATUS | TimexBits.ADJ_MAXERROR | TimexBits.ADJ_ESTERROR,
            Status = status,
            MaxError = (long)Math.Min(maxErrorSeconds * 1e6, 16_000_000),
            EstError = (long)Math.Min(estimatedErrorSeconds * 1e6, 16_000_000),
        };
        return Result(TimexCall.ClockAdjTime(Libc.CLOCK_REALTIME, &timex));
    }

    /// <summary>Reads the kernel discipline state without changing it (modes = 0).</summary>
    public static unsafe KernelClockState ReadKernelState()
    {
        var timex = new Timex();
        int state = TimexCall.ClockAdjTime(Libc.CLOCK_REALTIME, &timex);
        return new KernelClockState(state, timex.Status, timex.Frequency / KernelFrequencyScale, timex.Offset, timex.MaxError, timex.EstError);
    }

    private static ClockWriteResult Result(int returnValue)
    {
        if (returnValue >= 0)
        {
            return ClockWriteResult.Applied;
        }

        int errno = Libc.LastError;
        var outcome = errno == Libc.EPERM ? ClockWriteOutcome.PermissionDenied : ClockWriteOutcome.Failed;
        return new ClockWriteResult(outcome, errno, Libc.ErrorText(errno));
    }
}

/// <summary>A read-only snapshot of the kernel clock discipline (adjtimex with modes = 0).</summary>
public readonly record struct KernelClockState(int ClockState, int Status, double Frequency, long Offset, long MaxErrorMicroseconds, long EstErrorMicroseconds);
