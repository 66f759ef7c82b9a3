// MruListTable: ntpq 4.2.8's mrulist command line and output (ntpq-subs.c mrulist): the options
// mincount=, resall=, resany=, laddr=, maxlstint= (sent to the server as they are), `limited` and
// `kod` (sent as resany=0x20 / resany=0x400), sort=[-]lstint|avgint|addr|count (applied here;
// an unknown key keeps the default order silently, as ntpq), anything else ignored with a
// message; then the table "lstint avgint rstr r m v  count rport remote address", 78 '=', and
// one "%6d %6d %4hx %c %d %d %6d %5u %s" row per address, newest first by default. lstint is
// the server's "now" minus the row's last packet and avgint (last - first) / count, both rounded
// to whole seconds as ntpq does; r is K (kod), L (limited) or '.'; remote is the address with
// -n, else its reverse-DNS name.
using System.Globalization;
using System.Net;
using System.Text;
using Stratum.Client.Mode6;
using Stratum.Core.Time;

namespace Stratum.Tools.Ntpq;

internal static class MruListTable
{
    public const string Header = "lstint avgint rstr r m v  count rport remote address\n"
        + "==============================================================================\n";

    /// <summary>The sort orders, as ntpq's mru_sort_keywords.</summary>
    private static readonly string[] s_sortKeywords = ["lstint", "-lstint", "avgint", "-avgint", "addr", "-addr", "count", "-count"];

    private static readonly string[] s_passedPrefixes = ["resall=", "resany=", "mincount=", "laddr=", "maxlstint="];

    /// <summary>Turns the command's arguments into the request suffix and the sort keyword; unknown ones are reported.</summary>
    public static (string Parameters, string Sort) ParseArguments(IEnumerable<string> arguments, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(stderr);
        var parameters = new StringBuilder();
        string sort = "lstint";
        foreach (string argument in arguments)
        {
            if (Array.Exists(s_passedPrefixes, prefix => argument.StartsWith(prefix, StringComparison.Ordinal)))
            {
                parameters.Append(", ").Append(argument);
            }
            else if (argument.StartsWith("sort=", StringComparison.Ordinal))
            {
                string key = argument["sort=".Length..];
                if (Array.IndexOf(s_sortKeywords, key) >= 0)
                {
                    sort = key;
                }
            }
            else if (argument is "limited" or "kod")
            {
                parameters.Append(CultureInfo.InvariantCulture, $", resany=0x{(argument == "kod" ? MruRecord.RestrictKod : MruRecord.RestrictLimited):x}");
            }
            else
            {
                stderr.Write($"ignoring unrecognized mrulist parameter: {argument}\n");
            }
        }

        return (parameters.ToString(), sort);
    }

    /// <summary>The header and the rows in the requested order.</summary>
    public static string Format(MruCollection collection, string sort, Func<IPAddress, string> hostName)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(hostName);
        var text = new StringBuilder(Header);
        foreach (MruRecord row in Order(collection.NewestFirst, sort))
        {
            int lastInterval = RoundLikeNtpq((collection.Now - row.Last).TotalSeconds);
            int averageInterval = RoundLikeNtpq((row.Last - row.First).TotalSeconds / row.Count);
            char limit = (row.Restrictions & MruRecord.RestrictKod) != 0 ? 'K' : (row.Restrictions & MruRecord.RestrictLimited) != 0 ? 'L' : '.';
            text.Append(CultureInfo.InvariantCulture,
                $"{lastInterval,6} {averageInterval,6} {row.Restrictions,4:x} {limit} {row.Mode} {row.Version} {row.Count,6} {row.Address.Port,5} {Stratum.Client.Display.TerminalText.Escape(hostName(row.Address.Address))}\n");
        }

        return text.ToString();
    }

    /// <summary>C's (int)(x + 0.5): rounds half up for positive values, truncates toward zero.</summary>
    private static int RoundLikeNtpq(double seconds) => (int)Math.Clamp(seconds + 0.5, int.MinValue, int.MaxValue);

    private static IEnumerable<MruRecord> Order(IReadOnlyList<MruRecord> newestFirst, string sort) => sort switch
    {
        "-lstint" => newestFirst.Reverse(),
        "avgint" => newestFirst.Order(Comparer<MruRecord>.Create(CompareAverageInterval)),
        "-avgint" => newestFirst.Order(Comparer<MruRecord>.Create((a, b) => -CompareAverageInterval(a, b))),
        "addr" => newestFirst.Order(Comparer<MruRecord>.Create(CompareAddress)),
        "-addr" => newestFirst.Order(Comparer<MruRecord>.Create((a, b) => -CompareAddress(a, b))),
        "count" => newestFirst.OrderBy(row => row.Count),
        "-count" => newestFirst.OrderByDescending(row => row.Count),
        _ => newestFirst,
    };

    /// <summary>Average interval ascending, then the most recently heard from first (ntpq qcmp_mru_avgint).</summary>
    private static int CompareAverageInterval(MruRecord a, MruRecord b)
    {
        double averageA = (a.Last - a.First).TotalSeconds / a.Count;
        double averageB = (b.Last - b.First).TotalSeconds / b.Count;
        int byAverage = averageA.CompareTo(averageB);
        return byAverage != 0 ? byAverage : -a.Last.CompareTo(b.Last);
    }

    /// <summary>IPv4 before IPv6, then by address bytes (ntpq qcmp_mru_addr).</summary>
    private static int CompareAddress(MruRecord a, MruRecord b)
    {
        byte[] bytesA = a.Address.Address.GetAddressBytes();
        byte[] bytesB = b.Address.Address.GetAddressBytes();
        return bytesA.Length != bytesB.Length ? bytesA.Length.CompareTo(bytesB.Length) : bytesA.AsSpan().SequenceCompareTo(bytesB);
    }
}
