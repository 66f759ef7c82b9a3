// HourlySchedule: ntpd's hourly housekeeping deadlines (the drift file write, the sysstats line and
// its counter reset): first due an hour after start, then an hour after each time it came due. The
// loop's monotonic clock drives it, so a step of the real clock never skips or repeats a write.
namespace Stratum.Engine.SystemState;

/// <summary>A deadline that recurs every hour from start.</summary>
public sealed class HourlySchedule
{
    /// <summary>One hour, ns.</summary>
    public const long IntervalNanoseconds = 3600 * LoopTime.NanosecondsPerSecond;

    /// <summary>When it is next due (monotonic ns); long.MaxValue before <see cref="Start"/>.</summary>
    public long NextMono { get; private set; } = long.MaxValue;

    /// <summary>Arms the first deadline an hour after <paramref name="now"/>.</summary>
    public void Start(LoopTime now) => NextMono = now.Mono + IntervalNanoseconds;

    /// <summary>True when the deadline has come; it is then re-armed an hour after <paramref name="now"/>.</summary>
    public bool IsDue(LoopTime now)
    {
        if (now.Mono < NextMono)
        {
            return false;
        }

        NextMono = now.Mono + IntervalNanoseconds;
        return true;
    }
}
