// LeapSmear and LeapSmearWindow: ntpd 4.2.8's `leapsmearinterval W`. A server whose clients must never
// see a leap second (they would step, or disagree with hosts that smear) spreads the second over the W
// seconds before it in the time it serves; its own clock still takes the leap from the kernel at UTC
// midnight. The smear follows the cosine of Google's public smear, offset(x) = -Δ(1 - cos πx)/2 for
// x = (t - start)/W in [0, 1), Δ = +1 s for an inserted second and -1 s for a deleted one: it starts
// and ends with zero rate, and by the leap the served time is a whole second behind (ahead), which the
// kernel's step then makes the clock's own time. While the feature is on, served packets never carry a
// leap warning (ntpd's rule), and during the window the refid says how far the smear has gone
// (254.x.y.z, the offset in 2 integer and 22 fraction bits, as ntpd encodes it).
// The window is placed on the monotonic clock once the leap is announced: the kernel's step repeats a
// second of the real clock, not of the monotonic one, so the smear ends exactly when the leap is taken
// and a reply in the repeated second is not smeared twice. Until the window starts it is re-anchored to
// the disciplined clock at each update (slews move real time against monotonic time by milliseconds);
// once begun it is fixed until it ends. Pure arithmetic over the times passed in.
using Stratum.Core.Time;
using Stratum.Core.Wire;

namespace Stratum.Engine.SystemState;

/// <summary>One leap second's smear on the monotonic clock.</summary>
/// <param name="StartMono">Monotonic nanoseconds at which the smear starts.</param>
/// <param name="IntervalSeconds">W: the smear's length, ending at the leap.</param>
/// <param name="Direction">+1 for an inserted second (served time falls behind), -1 for a deleted one.</param>
public readonly record struct LeapSmearWindow(long StartMono, double IntervalSeconds, int Direction)
{
    /// <summary>Monotonic nanoseconds at which the smear ends (the leap).</summary>
    public long EndMono => StartMono + (long)(IntervalSeconds * 1e9);

    /// <summary>True when <paramref name="monoNanoseconds"/> falls in the window.</summary>
    public bool Covers(long monoNanoseconds) => monoNanoseconds >= StartMono && monoNanoseconds < EndMono;

    /// <summary>The offset (seconds) to add to the time served at <paramref name="monoNanoseconds"/>; 0 outside the window.</summary>
    public double OffsetAt(long monoNanoseconds)
    {
        if (!Covers(monoNanoseconds))
        {
            return 0;
        }

        double progress = (monoNanoseconds - StartMono) / 1e9 / IntervalSeconds;
        return -Direction * (1 - Math.Cos(Math.PI * progress)) / 2;
    }
}

/// <summary>Plans the smear of the announced leap second.</summary>
public sealed class LeapSmear
{
    /// <param name="intervalSeconds">`leapsmearinterval`: W, seconds (positive).</param>
    public LeapSmear(double intervalSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(intervalSeconds);
        IntervalSeconds = intervalSeconds;
    }

    public double IntervalSeconds { get; }

    /// <summary>The planned or running window, or null when no leap is announced.</summary>
    public LeapSmearWindow? Window { get; private set; }

    /// <summary>Follows the announced leap at <paramref name="now"/>: plans the window of a leap announced for the
    /// end of this UTC month, re-anchors it while it has not started, keeps it while it runs, and drops it once
    /// it has ended or the announcement is withdrawn before it began.</summary>
    public void Update(LeapIndicator announced, LoopTime now)
    {
        if (Window is { } running && now.Mono >= running.StartMono)
        {
            if (now.Mono < running.EndMono)
            {
                return;
            }

            Window = null;
        }

        if (announced is not (LeapIndicator.InsertSecond or LeapIndicator.DeleteSecond))
        {
            Window = null;
            return;
        }

        long leapUnixSeconds = StartOfNextUtcMonth(now.Real);
        long nowUnixNanoseconds = now.Real.ToUnixNanoseconds();
        long startUnixNanoseconds = (leapUnixSeconds * 1_000_000_000L) - (long)(IntervalSeconds * 1e9);
        if (nowUnixNanoseconds >= leapUnixSeconds * 1_000_000_000L)
        {
            Window = null;
            return;
        }

        Window = new LeapSmearWindow(now.Mono + (startUnixNanoseconds - nowUnixNanoseconds), IntervalSeconds,
            announced == LeapIndicator.InsertSecond ? 1 : -1);
    }

    /// <summary>ntpd's refid while smearing: 254 and the offset in 2 signed integer and 22 fraction bits, rounded.</summary>
    public static ReferenceId ReferenceIdFor(double offsetSeconds)
    {
        long scaled = (long)Math.Round(offsetSeconds * (1 << 22));
        return new ReferenceId(0xFE000000u | (uint)(scaled & 0x00FFFFFF));
    }

    // Unix seconds of 00:00:00 UTC on the first day of the month after the one holding `now`.
    private static long StartOfNextUtcMonth(NtpTimestamp now)
    {
        DateTime utc = DateTime.UnixEpoch.AddTicks(now.ToUnixNanoseconds() / 100);
        var next = new DateTime(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1);
        return (long)(next - DateTime.UnixEpoch).TotalSeconds;
    }
}
