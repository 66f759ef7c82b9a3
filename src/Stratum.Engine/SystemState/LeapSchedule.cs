// LeapSchedule: when a leap second announced by the sources (RFC 5905 §7.3 LI, voted by the truechimers in
// ClockSelector) may be armed in the kernel. Servers may announce a leap for the whole month before it (LI
// means "at the end of the current month"), but the Linux kernel inserts or deletes the second at the next
// UTC midnight after STA_INS/STA_DEL are set, so the kernel must be armed only during the month's last UTC
// day. Before that day the announcement is passed on to our clients (served LI) but not armed. Pure: the
// date comes from the disciplined clock's reading passed in.
using Stratum.Core.Leap;
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

    /// <summary>The warning a leap-seconds.list (`leapfile`) gives at <paramref name="now"/>: the listed leap
    /// second if it falls at the end of the current UTC month, else none; none from an expired table.</summary>
    public static LeapIndicator FromTable(LeapSecondTable? table, NtpTimestamp now)
    {
        if (table is null || table.IsExpiredAt(now) || table.NextLeapAfter(now) is not { } leap)
        {
            return LeapIndicator.NoWarning;
        }

        // The entry's time is the first second after the leap (00:00:00 on the 1st); the leap is in this
        // month when the second before it is.
        long nowSeconds = LeapSecondTable.ToSecondsSince1900(now);
        DateTime today = NtpEra.Epoch.AddSeconds(nowSeconds);
        DateTime lastSecond = NtpEra.Epoch.AddSeconds(leap.SecondsSince1900 - 1);
        if (today.Year != lastSecond.Year || today.Month != lastSecond.Month)
        {
            return LeapIndicator.NoWarning;
        }

        return leap.Kind == LeapKind.Insert ? LeapIndicator.InsertSecond : LeapIndicator.DeleteSecond;
    }

    /// <summary>Combines the sources' vote with the leap file: a warning from either is announced.</summary>
    /// <remarks>Deviation: ntpd 4.2.8 also lets a loaded leap file override the peers; here a warning voted by
    /// the truechimers still stands without the file, and the file alone is enough.</remarks>
    public static LeapIndicator Combine(LeapIndicator voted, LeapIndicator fromFile) =>
        voted is LeapIndicator.InsertSecond or LeapIndicator.DeleteSecond ? voted : fromFile == LeapIndicator.NoWarning ? voted : fromFile;

    private static class NtpEra
    {
        public static readonly DateTime Epoch = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    }

    /// <summary>The UTC midnight that ends the day of <paramref name="now"/> (where a leap second armed that day falls).</summary>
    public static NtpTimestamp EndOfUtcDay(NtpTimestamp now)
    {
        long unixSeconds = Math.DivRem(now.ToUnixNanoseconds(), 1_000_000_000L, out long remainder);
        if (remainder < 0)
        {
            unixSeconds--;
        }

        long dayEnd = ((unixSeconds / 86400L) + 1) * 86400L;
        return NtpTimestamp.FromUnixNanoseconds(dayEnd * 1_000_000_000L);
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
