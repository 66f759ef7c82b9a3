// NmeaSentence: the time in one NMEA 0183 sentence from a GPS receiver, for ntpd's NMEA reference
// clock (type 20, ntpd 4.2.8 drivers/driver20.html). Three sentences carry time: RMC (time of day and
// date, with A for a valid fix or V for a warning), GGA (time of day only, with a fix quality, 0 for
// none) and ZDA (time of day, day, month, four-digit year). Any two-letter talker is taken ($GP for GPS,
// $GN for multi-system receivers, $GL, $GA, ...). A sentence counts only when its checksum (the XOR of
// every character between '$' and '*', two hex digits after '*') is present and right, its fields are
// well formed and, for RMC and GGA, the receiver says its fix is valid. A GGA sentence has no date;
// the caller supplies the date from its clock (NmeaTime.Resolve). Pure and allocation-free: the
// sentence is a span of ASCII octets (a serial line, without its CR LF).
namespace Stratum.Core.Refclock;

/// <summary>Which sentence a time came from; the values are ntpd's `mode` bits that select them.</summary>
[Flags]
public enum NmeaSentenceKind
{
    None = 0,
    Rmc = 1,
    Gga = 2,
    Gll = 4,
    Zda = 8,
}

/// <summary>The UTC time in one sentence: seconds of the day and, when the sentence has one, the date.</summary>
/// <param name="Kind">RMC, GGA or ZDA.</param>
/// <param name="SecondOfDay">Seconds since 00:00:00 UTC, with the fraction the receiver gave.</param>
/// <param name="Year">Four-digit year, or 0 when the sentence carries no date (GGA).</param>
/// <param name="Month">1–12, or 0.</param>
/// <param name="Day">1–31, or 0.</param>
public readonly record struct NmeaTime(NmeaSentenceKind Kind, double SecondOfDay, int Year, int Month, int Day)
{
    public bool HasDate => Year != 0;

    /// <summary>Unix seconds of this time. Without a date, the day within half a day of
    /// <paramref name="nearUnixSeconds"/> (the local clock); two-digit RMC years are 2000–2099.</summary>
    public double ToUnixSeconds(double nearUnixSeconds)
    {
        if (HasDate)
        {
            long days = new DateTime(Year, Month, Day, 0, 0, 0, DateTimeKind.Utc).Subtract(DateTime.UnixEpoch).Days;
            return (days * 86400.0) + SecondOfDay;
        }

        double midnight = Math.Floor(nearUnixSeconds / 86400.0) * 86400.0;
        double candidate = midnight + SecondOfDay;
        if (candidate - nearUnixSeconds > 43200)
        {
            candidate -= 86400;
        }
        else if (nearUnixSeconds - candidate > 43200)
        {
            candidate += 86400;
        }

        return candidate;
    }
}

/// <summary>Parses the time out of NMEA sentences.</summary>
public static class NmeaSentence
{
    /// <summary>Longest sentence NMEA 0183 allows (82 characters with CR LF); longer lines are refused.</summary>
    public const int MaxLength = 82;

    private const int MaxFields = 24;

    /// <summary>The time in <paramref name="line"/> (CR and LF at its end ignored) when it is a valid RMC, GGA or
    /// ZDA sentence selected by <paramref name="accepted"/> (None: all three); false otherwise.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, NmeaSentenceKind accepted, out NmeaTime time)
    {
        time = default;
        while (!line.IsEmpty && line[^1] is (byte)'\r' or (byte)'\n')
        {
            line = line[..^1];
        }

        if (line.Length < 7 || line.Length > MaxLength || line[0] != (byte)'$' || !ChecksumHolds(line, out ReadOnlySpan<byte> body))
        {
            return false;
        }

        Span<Range> fields = stackalloc Range[MaxFields];
        int count = Split(body, fields);
        ReadOnlySpan<byte> address = body[fields[0]];
        if (address.Length != 5)
        {
            return false;
        }

        ReadOnlySpan<byte> type = address[2..];
        NmeaSentenceKind kind = type.SequenceEqual("RMC"u8) ? NmeaSentenceKind.Rmc
            : type.SequenceEqual("GGA"u8) ? NmeaSentenceKind.Gga
            : type.SequenceEqual("ZDA"u8) ? NmeaSentenceKind.Zda
            : NmeaSentenceKind.None;
        if (kind == NmeaSentenceKind.None || (accepted != NmeaSentenceKind.None && (accepted & kind) == 0) || count < 2
            || !TryParseTimeOfDay(body[fields[1]], out double secondOfDay))
        {
            return false;
        }

        switch (kind)
        {
            case NmeaSentenceKind.Rmc:
                // $--RMC,hhmmss.ss,A,llll.ll,a,yyyyy.yy,a,x.x,x.x,ddmmyy,...
                if (count < 10 || !body[fields[2]].SequenceEqual("A"u8)
                    || !TryParseDigits(body[fields[9]], 6, out int ddmmyy))
                {
                    return false;
                }

                return TryDate(kind, secondOfDay, 2000 + (ddmmyy % 100), (ddmmyy / 100) % 100, ddmmyy / 10000, out time);
            case NmeaSentenceKind.Gga:
                // $--GGA,hhmmss.ss,llll.ll,a,yyyyy.yy,a,q,...: q = 0 is no fix.
                if (count < 7 || !TryParseDigits(body[fields[6]], 1, out int quality) || quality == 0)
                {
                    return false;
                }

                time = new NmeaTime(kind, secondOfDay, 0, 0, 0);
                return true;
            default:
                // $--ZDA,hhmmss.ss,dd,mm,yyyy,zh,zm
                if (count < 5 || !TryParseDigits(body[fields[2]], 2, out int day) || !TryParseDigits(body[fields[3]], 2, out int month)
                    || !TryParseDigits(body[fields[4]], 4, out int year))
                {
                    return false;
                }

                return TryDate(kind, secondOfDay, year, month, day, out time);
        }
    }

    private static bool TryDate(NmeaSentenceKind kind, double secondOfDay, int year, int month, int day, out NmeaTime time)
    {
        time = default;
        if (year is < 1980 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        time = new NmeaTime(kind, secondOfDay, year, month, day);
        return true;
    }

    // "*hh" at the end, equal to the XOR of the characters between '$' and '*'; body = those characters.
    private static bool ChecksumHolds(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> body)
    {
        body = default;
        int star = line.Length - 3;
        if (line[star] != (byte)'*' || !TryHex(line[star + 1], out int high) || !TryHex(line[star + 2], out int low))
        {
            return false;
        }

        body = line[1..star];
        int sum = 0;
        foreach (byte octet in body)
        {
            if (octet is < 0x20 or > 0x7E or (byte)'$' or (byte)'*')
            {
                return false;
            }

            sum ^= octet;
        }

        return sum == ((high << 4) | low);
    }

    private static bool TryHex(byte digit, out int value)
    {
        value = digit switch
        {
            >= (byte)'0' and <= (byte)'9' => digit - '0',
            >= (byte)'A' and <= (byte)'F' => digit - 'A' + 10,
            >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
            _ => -1,
        };
        return value >= 0;
    }

    private static int Split(ReadOnlySpan<byte> body, Span<Range> fields)
    {
        int count = 0;
        int start = 0;
        for (int i = 0; i <= body.Length && count < fields.Length; i++)
        {
            if (i == body.Length || body[i] == (byte)',')
            {
                fields[count++] = new Range(start, i);
                start = i + 1;
            }
        }

        return count;
    }

    // hhmmss or hhmmss.f…: 0 ≤ hh < 24, mm < 60, ss ≤ 60 (a leap second).
    private static bool TryParseTimeOfDay(ReadOnlySpan<byte> field, out double secondOfDay)
    {
        secondOfDay = 0;
        if (field.Length < 6 || !TryParseDigits(field[..2], 2, out int hours) || !TryParseDigits(field[2..4], 2, out int minutes)
            || !TryParseDigits(field[4..6], 2, out int seconds) || hours > 23 || minutes > 59 || seconds > 60)
        {
            return false;
        }

        double fraction = 0;
        if (field.Length > 6)
        {
            if (field[6] != (byte)'.' || field.Length == 7 || field.Length > 16)
            {
                return false;
            }

            double scale = 0.1;
            foreach (byte digit in field[7..])
            {
                if (digit is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }

                fraction += (digit - '0') * scale;
                scale /= 10;
            }
        }

        secondOfDay = (hours * 3600) + (minutes * 60) + seconds + fraction;
        return true;
    }

    private static bool TryParseDigits(ReadOnlySpan<byte> field, int length, out int value)
    {
        value = 0;
        if (field.Length != length)
        {
            return false;
        }

        foreach (byte digit in field)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (digit - '0');
        }

        return true;
    }
}
