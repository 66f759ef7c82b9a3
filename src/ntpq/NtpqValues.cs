// NtpqValues: ntpq 4.2.8's value decoders and pretty printers (ntpq.c decodeuint/decodeint,
// decodets, decodenetnum; libntp prettydate, refnumtoa; ntpq-subs.c prettyinterval): integers in
// C's strtoul forms (0x hex, leading 0 octal), timestamps "0xSSSSSSSS.FFFFFFFF", refclock
// addresses 127.127.t.u shown as "LOCAL(u)", intervals as s/m/h/d.
using System.Globalization;
using System.Net;
using Stratum.Core.Time;

namespace Stratum.Tools.Ntpq;

/// <summary>Parsing and formatting helpers shared by the ntpq commands.</summary>
internal static class NtpqValues
{
    /// <summary>strtoul(value, 0): 0x… hex, 0… octal, else decimal.</summary>
    public static bool TryParseUnsigned(string value, out ulong result)
    {
        result = 0;
        if (value.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return ulong.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out result);
        }

        if (value.Length > 1 && value[0] == '0')
        {
            foreach (char c in value)
            {
                if (c is < '0' or > '7')
                {
                    return false;
                }

                result = (result * 8) + (ulong)(c - '0');
            }

            return true;
        }

        return ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result);
    }

    public static bool TryParseSigned(string value, out long result)
    {
        if (value.StartsWith('-'))
        {
            bool ok = TryParseUnsigned(value[1..], out ulong magnitude);
            result = -(long)magnitude;
            return ok;
        }

        bool parsed = TryParseUnsigned(value, out ulong unsigned);
        result = (long)unsigned;
        return parsed;
    }

    /// <summary>decodets: "0x" hex seconds.fraction (the "0x" optional).</summary>
    public static bool TryParseTimestamp(string value, out NtpTimestamp timestamp)
    {
        timestamp = default;
        string text = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? value[2..] : value;
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0
            || !uint.TryParse(text.AsSpan(0, dot), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint seconds)
            || !uint.TryParse(text.AsSpan(dot + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint fraction))
        {
            return false;
        }

        timestamp = NtpTimestamp.FromParts(seconds, fraction);
        return true;
    }

    /// <summary>A milliseconds value as sent ("0.123"), or false.</summary>
    public static bool TryParseMilliseconds(string value, out double milliseconds) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out milliseconds);

    /// <summary>lfptoms(x, 3): milliseconds with three decimals, '-' only for a value below zero
    /// ("-0.000" as sent reads as an l_fp of zero, printed "0.000").</summary>
    public static string Milliseconds3(double milliseconds) =>
        (milliseconds == 0 ? 0.0 : milliseconds).ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>prettydate: "e0b1b4f3.5a9a4000  Mon, Nov 23 2026 12:10:28.354" in local time, "(no time)" for 0.</summary>
    public static string PrettyDate(NtpTimestamp timestamp, long pivotUnixNanoseconds, TimeZoneInfo zone) =>
        Stratum.Client.Display.PrettyDate.Format(timestamp, pivotUnixNanoseconds, zone);

    /// <summary>prettyinterval (ntpq-subs.c, 4.2.8p15): "-" for 0 or less, seconds up to 2048, then
    /// minutes up to 300, hours up to 96, days up to 999 (each rounded to the nearest), then years
    /// (days / 365.25, rounded) up to 999, then "INF".</summary>
    public static string PrettyInterval(long seconds)
    {
        if (seconds <= 0)
        {
            return "-";
        }

        if (seconds <= 2048)
        {
            return seconds.ToString(CultureInfo.InvariantCulture);
        }

        long minutes = (seconds + 29) / 60;
        if (minutes <= 300)
        {
            return minutes.ToString(CultureInfo.InvariantCulture) + "m";
        }

        long hours = (minutes + 29) / 60;
        if (hours <= 96)
        {
            return hours.ToString(CultureInfo.InvariantCulture) + "h";
        }

        long days = (hours + 11) / 24;
        if (days <= 999)
        {
            return days.ToString(CultureInfo.InvariantCulture) + "d";
        }

        long years = (long)Math.Floor((days / 365.25) + 0.5);
        return years <= 999 ? years.ToString(CultureInfo.InvariantCulture) + "y" : "INF";
    }

    /// <summary>True for a refclock pseudo-address 127.127.t.u.</summary>
    public static bool IsRefclockAddress(IPAddress address)
    {
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return false;
        }

        byte[] bytes = address.GetAddressBytes();
        return bytes[0] == 127 && bytes[1] == 127;
    }

    /// <summary>refnumtoa: "LOCAL(0)" for 127.127.1.0, "GPS_NMEA(0)" for 127.127.20.0, "SHM(0)" for 127.127.28.0, "REFCLK(t,u)" for drivers this ntpq does not name.</summary>
    public static string RefclockName(IPAddress address)
    {
        byte[] bytes = address.GetAddressBytes();
        return bytes[2] switch
        {
            1 => string.Create(CultureInfo.InvariantCulture, $"LOCAL({bytes[3]})"),
            20 => string.Create(CultureInfo.InvariantCulture, $"GPS_NMEA({bytes[3]})"),
            22 => string.Create(CultureInfo.InvariantCulture, $"PPS({bytes[3]})"),
            28 => string.Create(CultureInfo.InvariantCulture, $"SHM({bytes[3]})"),
            _ => string.Create(CultureInfo.InvariantCulture, $"REFCLK({bytes[2]},{bytes[3]})"),
        };
    }

    /// <summary>decodenetnum without ports or brackets: a literal address, else null.</summary>
    public static IPAddress? ParseAddress(string value)
    {
        string text = value.Trim('"');
        if (text.StartsWith('[') && text.Contains(']', StringComparison.Ordinal))
        {
            text = text[1..text.IndexOf(']', StringComparison.Ordinal)];
        }

        return IPAddress.TryParse(text, out IPAddress? address) ? address : null;
    }

    /// <summary>printf("%-W.Ps") / ("%W.Ps"): cut to P characters, pad to W.</summary>
    public static string Fit(string text, int width, int precision, bool leftAlign)
    {
        string cut = text.Length > precision ? text[..precision] : text;
        return leftAlign ? cut.PadRight(width) : cut.PadLeft(width);
    }
}
