// GoldenMask: hides what changes from run to run in ntpq/ntpdc output, and nothing else:
// prettydate timestamps (DATE), the `when` column (WHEN), root dispersion (it grows 15 ppm per
// second), the measured precision, uptimes, packet and wake-up counters and the ifstats counter
// columns (they count the tests' own queries), and the daemon's ephemeral port.
using System.Text.RegularExpressions;

namespace Stratum.Cli.Tests.Ntpq;

internal static partial class GoldenMask
{
    [GeneratedRegex(@"[0-9a-f]{8}\.[0-9a-f]{8}  \w{3}, \w{3} [ \d]\d \d{4} [ \d]\d:\d\d:\d\d\.\d{3}")]
    private static partial Regex PrettyDate();

    [GeneratedRegex(@"(rootdisp=|root dispersion: +)\d+\.\d+")]
    private static partial Regex RootDispersion();

    [GeneratedRegex(@"(precision=|precision: +|precision )-\d\d")]
    private static partial Regex Precision();

    [GeneratedRegex(@"^(uptime|sysstats reset|packets received|current version|time since reset|time since restart|received packets|packets sent|ignored packets|watchdog timer|packets processed|input wakeups|useful input wakeups|interrupts handled|received by int):( +)\d+", RegexOptions.Multiline)]
    private static partial Regex Counter();

    /// <summary>ifstats rows: the received, sent and uptime columns.</summary>
    [GeneratedRegex(@"^(\s+\d+ \S+\s+[.D]\s+\d+\s+\d+\s+\d+)\s+\d+\s+\d+(\s+\d+\s+\d+)\s+\d+$", RegexOptions.Multiline)]
    private static partial Regex InterfaceCounters();

    [GeneratedRegex(@"watchdog \d+")]
    private static partial Regex Watchdog();

    [GeneratedRegex(@"(127\.0\.0\.1|\[::1\]):\d+")]
    private static partial Regex Port();

    public static string Apply(string text)
    {
        text = PrettyDate().Replace(text, "DATE");
        text = RootDispersion().Replace(text, "${1}ROOTDISP");
        text = Precision().Replace(text, "${1}-PP");
        text = Counter().Replace(text, "$1:$2N");
        text = Watchdog().Replace(text, "watchdog N");
        text = InterfaceCounters().Replace(text, "$1 RX TX$2 UP");
        text = Port().Replace(text, "$1:PORT");
        return MaskWhen(text);
    }

    /// <summary>The `when` column (4 characters at 38) of peers lines.</summary>
    private static string MaskWhen(string text) =>
        string.Join('\n', text.Split('\n').Select(line => line.Length > 45 && line[0] is ' ' or '*' or '+' or 'x' or '-' or '#' or 'o' or '.'
            && !line.StartsWith("     remote", StringComparison.Ordinal) && line[36] is 'l' or 'u' or 's' or 'p' or 'b'
            ? line[..38] + "WHEN" + line[42..]
            : line));
}
