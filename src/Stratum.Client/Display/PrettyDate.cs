// PrettyDate: libntp's prettydate as ntpq and ntpdc print NTP timestamps:
// "e0b1b4f3.5a9a4000  Mon, Nov 23 2026 12:10:28.354" in the given time zone (milliseconds
// truncated from the fraction, carried into the seconds at 1000), "(no time)" for zero.
using System.Globalization;
using Stratum.Core.Time;

namespace Stratum.Client.Display;

/// <summary>prettydate for the query tools.</summary>
public static class PrettyDate
{
    private static readonly string[] s_days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] s_months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <param name="timestamp">The value to show.</param>
    /// <param name="pivotUnixNanoseconds">Now, to place the timestamp in its era.</param>
    /// <param name="zone">Local time zone.</param>
    public static string Format(NtpTimestamp timestamp, long pivotUnixNanoseconds, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (timestamp.IsZero)
        {
            return "(no time)";
        }

        uint seconds = timestamp.Seconds;
        uint milliseconds = timestamp.Fraction / 4294967u;
        if (milliseconds >= 1000)
        {
            milliseconds -= 1000;
            seconds++;
        }

        long unixNanoseconds = NtpTimestamp.FromParts(seconds, 0).ToUnixNanoseconds(pivotUnixNanoseconds);
        DateTime local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UnixEpoch.AddTicks(unixNanoseconds / 100), zone);
        return string.Create(CultureInfo.InvariantCulture,
            $"{timestamp.Seconds:x8}.{timestamp.Fraction:x8}  {s_days[(int)local.DayOfWeek]}, {s_months[local.Month - 1]} {local.Day,2} {local.Year,4} {local.Hour,2}:{local.Minute:D2}:{local.Second:D2}.{milliseconds:D3}");
    }
}
