// LeapSchedule: when a leap second announced by the sources (RFC 5905 §7.3 LI, voted by the truechimers in
// ClockSelector) may be armed in the kernel. Servers may announce a leap for the whole month before it (LI
// means "at the end of the current month"), but the Linux kernel inserts or deletes the second at the next
// UTC midnight after STA_INS/STA_DEL are set, so the kernel must be armed only during the month's last UTC
// day. Before that day the announcement is passed on to our clients (served LI) but not armed. Pure: the
// date comes from the disciplined clock's reading passed in.
using Stratum.Core.Time;
using Stratum.Core.Wire;

namespace Stratum.Engine.SystemState;

/// <summary>Decides what leap warning the kernel clock gets.</summary>
public static class LeapSchedule
{
    /// <summary>The leap state to arm in the kernel at <paramref name="now"/> for the announced
    /// <paramref name="announced"/>: the announcement during the last UTC day of a month, else none.</summary>
    public static LeapIndicator KernelLeap(LeapIndicator announced, NtpTimestamp now)
    {
        if (announced is not (LeapIndicator.InsertSecond or LeapIndicator.DeleteSecond))
        {
            return LeapIndicator.NoWarning;
        }

        return IsLastDayOfMonth(now) ? announced : LeapIndicator.NoWarning;
    }

    /// <summary>True when the UTC day of <paramref name="now"/> is the last of its month.</summary>
    public static bool IsLastDayOfMonth(NtpTimestamp now)
    {
        long unixSeconds = Math.DivRem(now.ToUnixNanoseconds(), 1_000_000_000L, out long remainder);
        if (remainder < 0)
        {
            unixSeconds--;
        }

        DateTime utc = DateTime.UnixEpoch.AddSeconds(unixSeconds);
        return utc.AddDays(1).Day == 1;
    }
}
