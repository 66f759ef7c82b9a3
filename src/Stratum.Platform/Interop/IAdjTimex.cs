// IAdjTimex: the two kernel calls behind clock adjustment (clock_adjtime on CLOCK_REALTIME, and
// adjtime), as a seam so LinuxClockDriver's exact requests can be unit tested against a recording
// fake; nothing in the test suite ever reaches the real calls with a write mode.
namespace Stratum.Platform.Interop;

internal interface IAdjTimex
{
    /// <summary>clock_adjtime(CLOCK_REALTIME, timex); returns the clock state or −1.</summary>
    int ClockAdjTime(ref Timex timex);

    /// <summary>adjtime(delta, NULL); returns 0 or −1.</summary>
    int AdjTime(Timeval delta);

    /// <summary>adjtime(NULL, remaining): reads what the last adjtime still has to slew; returns 0 or −1.</summary>
    int ReadAdjTime(out Timeval remaining);

    /// <summary>errno of the last failed call.</summary>
    int LastError { get; }
}

/// <summary>The real calls.</summary>
internal sealed unsafe class LinuxAdjTimex : IAdjTimex
{
    public static LinuxAdjTimex Instance { get; } = new();

    public int LastError => Libc.LastError;

    public int ClockAdjTime(ref Timex timex)
    {
        fixed (Timex* pointer = &timex)
        {
            return TimexCall.ClockAdjTime(Libc.CLOCK_REALTIME, pointer);
        }
    }

    public int AdjTime(Timeval delta) => AdjTimeCall.AdjTime(&delta, null);

    public int ReadAdjTime(out Timeval remaining)
    {
        Timeval old = default;
        int result = AdjTimeCall.AdjTime(null, &old);
        remaining = old;
        return result;
    }
}
