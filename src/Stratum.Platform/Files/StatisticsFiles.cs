// StatisticsFiles: the classic ntpd statistics files (`statsdir`, `statistics`, `filegen`): the line
// formats of loopstats, peerstats, rawstats, sysstats and protostats (MJD, seconds past UTC midnight, then the
// values, as ntpd 4.2.8 writes them, so existing plotting scripts keep working) and filegen's file
// naming (`type day` → loopstats.20261123, week → .2026W47, month → .202611, year → .2026, none →
// no suffix).
// Writing happens on the log writer thread; the loop only formats lines with its own clock stamp.
using System.Globalization;
using Stratum.Core.Config;

namespace Stratum.Platform.Files;

/// <summary>Line formats and file names of ntpd's statistics files.</summary>
public static class StatisticsFiles
{
    /// <summary>Modified Julian Day of the Unix epoch.</summary>
    private const long UnixEpochMjd = 40_587;

    /// <summary>"60637 75440.031": MJD and seconds past UTC midnight, as every stats line begins.</summary>
    public static string Stamp(long unixNanoseconds)
    {
        long days = Math.DivRem(unixNanoseconds, 86_400L * 1_000_000_000, out long rest);
        if (rest < 0)
        {
            rest += 86_400L * 1_000_000_000;
            days--;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{days + UnixEpochMjd} {rest / 1e9:0.000}");
    }

    /// <summary>A loopstats line: offset (s), frequency (ppm), clock jitter (s), wander (ppm), time constant.</summary>
    public static string LoopStatsLine(long unixNanoseconds, double offset, double frequencyPpm, double jitter, double wanderPpm, int timeConstant) =>
        string.Create(CultureInfo.InvariantCulture, $"{Stamp(unixNanoseconds)} {offset:0.000000000} {frequencyPpm:0.000} {jitter:0.000000000} {wanderPpm:0.000000} {timeConstant}");

    /// <summary>A peerstats line: address, peer status word (hex), offset, delay, dispersion, jitter (s).</summary>
    public static string PeerStatsLine(long unixNanoseconds, string address, ushort status, double offset, double delay, double dispersion, double jitter) =>
        string.Create(CultureInfo.InvariantCulture, $"{Stamp(unixNanoseconds)} {address} {status:x} {offset:0.000000000} {delay:0.000000000} {dispersion:0.000000000} {jitter:0.000000000}");

    /// <summary>A rawstats line: remote and local address, T1–T4 as NTP seconds with nine decimals, then
    /// the reply's leap, version, mode, stratum, poll, precision, root delay and dispersion (s) and refid
    /// (".XXXX." at stratum 0 and 1, a dotted quad above).</summary>
    public static string RawStatsLine(long unixNanoseconds, string remote, string? local, Stratum.Engine.Associations.RawExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        Stratum.Core.Wire.NtpHeader header = exchange.Header;
        string refid = header.Stratum <= 1 ? "." + header.ReferenceId.ToAscii() + "." : header.ReferenceId.ToDottedQuad();
        return string.Create(CultureInfo.InvariantCulture,
            $"{Stamp(unixNanoseconds)} {remote} {local ?? "-"} {Timestamp(exchange.Transmit)} {Timestamp(header.ReceiveTime)} {Timestamp(header.TransmitTime)} {Timestamp(exchange.Receive)} {(int)header.Leap} {header.Version} {(int)header.Mode} {header.Stratum} {header.Poll} {header.Precision} {header.RootDelay.TotalSeconds:0.000000} {header.RootDispersion.TotalSeconds:0.000000} {refid}");
    }

    /// <summary>A sysstats line: seconds since the counters were reset, packets received, processed,
    /// current version, older version, restricted, bad length or format, bad authentication,
    /// declined, rate limited, KoD sent.</summary>
    public static string SysStatsLine(long unixNanoseconds, long sinceReset, Stratum.Engine.Server.ServerCounters counters) =>
        SysStatsLine(unixNanoseconds, Stratum.Engine.SysStatsRecord.From(sinceReset, counters));

    /// <summary>A sysstats line from the values the Engine took when the line came due.</summary>
    public static string SysStatsLine(long unixNanoseconds, in Stratum.Engine.SysStatsRecord record) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Stamp(unixNanoseconds)} {record.SinceReset} {record.Received} {record.Replied} {record.CurrentVersion} {record.OlderVersion} {record.Restricted} {record.Malformed} {record.CryptoNaks} {record.Declined} {record.RateLimited} {record.KodSent}");

    /// <summary>A protostats line: address (0.0.0.0 for the system), status word (four hex digits), event
    /// code (two hex digits, 0x80 set for an association's event), the event's name and any detail.</summary>
    public static string ProtoStatsLine(long unixNanoseconds, in Stratum.Engine.ProtoStatsRecord record) =>
        string.Create(CultureInfo.InvariantCulture, $"{Stamp(unixNanoseconds)} {record.Address} {record.Status:x4} {record.Code:x2} {record.Text}");

    /// <summary>An NTP timestamp as unsigned seconds and nine decimals of fraction (ntpd's ulfptoa(t, 9)).</summary>
    public static string Timestamp(Stratum.Core.Time.NtpTimestamp timestamp)
    {
        ulong seconds = timestamp.Seconds;
        ulong nanoseconds = (((ulong)timestamp.Fraction * 1_000_000_000UL) + (1UL << 31)) >> 32;
        if (nanoseconds == 1_000_000_000UL)
        {
            seconds++;
            nanoseconds = 0;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{nanoseconds:D9}");
    }

    /// <summary>The file a line stamped <paramref name="unixNanoseconds"/> goes to.</summary>
    public static string FilePath(string directory, FilegenConfig filegen, long unixNanoseconds, int processId)
    {
        ArgumentNullException.ThrowIfNull(filegen);
        DateTime utc = DateTime.UnixEpoch.AddTicks(unixNanoseconds / 100);
        string suffix = filegen.Type switch
        {
            FilegenType.Day => utc.ToString(".yyyyMMdd", CultureInfo.InvariantCulture),
            FilegenType.Week => string.Create(CultureInfo.InvariantCulture, $".{ISOWeek.GetYear(utc)}W{ISOWeek.GetWeekOfYear(utc):00}"),
            FilegenType.Month => utc.ToString(".yyyyMM", CultureInfo.InvariantCulture),
            FilegenType.Year => utc.ToString(".yyyy", CultureInfo.InvariantCulture),
            FilegenType.Pid => string.Create(CultureInfo.InvariantCulture, $".{processId}"),
            _ => string.Empty,
        };
        return Path.Combine(directory, filegen.FileName + suffix);
    }
}
