// IClockDriver: the port through which the daemon and ntpdate read and (maybe) adjust a clock
// (ARCHITECTURE.md §5). Implementations: LinuxClockDriver (the real clock; reading only until the
// sync-engine work), ObserveOnlyClockDriver (`disable ntp`: reads the real clock, ignores every
// write), VirtualClockDriver (`--virtual-clock`: a private clock over the real one) and the
// simulated clock of the tests. All calls happen on the event loop thread.
using Stratum.Core.Wire;

namespace Stratum.Platform.Clock;

/// <summary>Reads time and applies adjustments for one clock.</summary>
public interface IClockDriver
{
    /// <summary>Short name for logs ("observe-only", "linux", "virtual").</summary>
    string Name { get; }

    /// <summary>True when writes really change a clock (false for observe-only).</summary>
    bool CanAdjust { get; }

    /// <summary>This clock's time as Unix nanoseconds (CLOCK_REALTIME, or the virtual mapping of it).</summary>
    long ReadRealtimeNanoseconds();

    /// <summary>CLOCK_MONOTONIC in nanoseconds: timers and rate limits, never wire fields.</summary>
    long ReadMonotonicNanoseconds();

    /// <summary>Maps a kernel CLOCK_REALTIME packet timestamp to this clock (identity unless virtual).</summary>
    long MapKernelRealtime(long kernelRealtimeNanoseconds);

    /// <summary>Steps the clock by <paramref name="offsetSeconds"/> (positive: forward).</summary>
    ClockWriteResult Step(double offsetSeconds);

    /// <summary>Starts a one-shot slew (adjtime, 500 ppm): from now on the clock moves by
    /// <paramref name="offsetSeconds"/> in total; this replaces whatever was still pending
    /// (<see cref="PendingSlewSeconds"/>), so a caller that wants to keep it adds it.</summary>
    ClockWriteResult Slew(double offsetSeconds);

    /// <summary>Hands an offset to a kernel PLL with time constant <paramref name="timeConstant"/>, with
    /// <see cref="Slew"/>'s replace-what-is-pending meaning; drivers without a PLL slew it.</summary>
    ClockWriteResult ApplyKernelPllOffset(double offsetSeconds, int timeConstant) => Slew(offsetSeconds);

    /// <summary>Phase still to be slewed from earlier <see cref="Slew"/> or kernel-PLL calls, seconds: the clock
    /// will move by this much more without further calls.</summary>
    double PendingSlewSeconds => 0;

    /// <summary><see cref="PendingSlewSeconds"/> with how well it is known: the kernel reveals its remainder
    /// but not always where in its second it is, so part of the current second's chunk is uncertain.</summary>
    PendingSlew ReadPendingSlew() => new(PendingSlewSeconds, 0);

    /// <summary>Sets the frequency correction in s/s (positive: the clock runs faster); up to ±500 ppm, or up
    /// to <see cref="MaxSlewFrequency"/> for a slew.</summary>
    ClockWriteResult SetFrequency(double frequency);

    /// <summary>The largest frequency correction <see cref="SetFrequency"/> can set, s/s, for slewing phase
    /// through the frequency (FrequencySlew); 0 when the driver cannot (its slews go through <see cref="Slew"/>).</summary>
    double MaxSlewFrequency => 0;

    /// <summary>Cancels pending slews (adjtime's remainder, the kernel PLL's offset); returns the phase the
    /// clock will still move by anyway (the current second's chunk), seconds.</summary>
    double CancelSlew()
    {
        Slew(0);
        return 0;
    }

    /// <summary>Sets leap warning, synchronization status and error estimates (seconds).</summary>
    ClockWriteResult SetStatus(LeapIndicator leap, bool synchronized, double maxErrorSeconds, double estimatedErrorSeconds);
}

/// <summary>Phase the clock will still move by without further calls, and its uncertainty (one sided
/// bound), seconds.</summary>
public readonly record struct PendingSlew(double Seconds, double Uncertainty);

/// <summary>What became of a clock write.</summary>
public enum ClockWriteOutcome
{
    Applied,
    /// <summary>The driver does not write clocks (observe-only).</summary>
    Ignored,
    /// <summary>The kernel refused (EPERM: no CAP_SYS_TIME).</summary>
    PermissionDenied,
    Failed,
}

/// <summary>Result of a clock write, with the OS error when it failed.</summary>
public readonly record struct ClockWriteResult(ClockWriteOutcome Outcome, int Errno = 0, string? Detail = null)
{
    public static ClockWriteResult Applied => new(ClockWriteOutcome.Applied);

    public static ClockWriteResult Ignored => new(ClockWriteOutcome.Ignored);

    public bool Succeeded => Outcome is ClockWriteOutcome.Applied or ClockWriteOutcome.Ignored;
}
