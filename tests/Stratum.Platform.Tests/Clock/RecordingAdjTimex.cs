// RecordingAdjTimex: a recording fake of clock_adjtime/adjtime for LinuxClockDriver and ClockActionApplier
// tests: it keeps every request, answers reads with the status, PLL offset and adjtime remainder a test sets,
// and fails every call with Errno when set. Nothing here reaches the kernel.
using Stratum.Platform.Interop;

namespace Stratum.Platform.Tests.Clock;

internal sealed class RecordingAdjTimex : IAdjTimex
{
    public List<Timex> Requests { get; } = [];

    public List<Timeval> Slews { get; } = [];

    public int Errno { get; set; }

    public int Status { get; set; } = TimexBits.STA_UNSYNC;

    public int LastError => Errno;

    public int ClockAdjTime(ref Timex timex)
    {
        Requests.Add(timex);
        if (Errno != 0)
        {
            return -1;
        }

        if (timex.Modes == 0)
        {
            timex.Status = Status;
            timex.Offset = PllOffset;
            timex.Time.Microseconds = TimeNanoseconds;
            timex.Time.Seconds = TimeSeconds;
        }

        return 0;
    }

    public int AdjTime(Timeval delta)
    {
        Slews.Add(delta);
        return Errno != 0 ? -1 : 0;
    }

    public long PllOffset { get; set; }

    public long TimeNanoseconds { get; set; }

    /// <summary>Whole seconds of the kernel's time in a read; 0 with 0 ns means "not returned".</summary>
    public long TimeSeconds { get; set; }

    public Timeval AdjtimeRemaining { get; set; }

    public int ReadAdjTime(out Timeval remaining)
    {
        remaining = AdjtimeRemaining;
        return Errno != 0 ? -1 : 0;
    }
}
