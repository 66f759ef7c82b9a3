// StatisticsNames: the ntp.conf names of the statistics sets (ntpd 4.2.8 monopt.html), for the
// statistics and filegen directives. cryptostats and timingstats are ntpd names Stratum does not
// write; they are recognized so the parser can warn instead of calling them unknown.
namespace Stratum.Core.Config;

/// <summary>Names of statistics sets.</summary>
internal static class StatisticsNames
{
    public static bool TryParse(string name, out StatisticsKind kind)
    {
        (bool known, kind) = name switch
        {
            "loopstats" => (true, StatisticsKind.LoopStats),
            "peerstats" => (true, StatisticsKind.PeerStats),
            "clockstats" => (true, StatisticsKind.ClockStats),
            "rawstats" => (true, StatisticsKind.RawStats),
            "sysstats" => (true, StatisticsKind.SysStats),
            "protostats" => (true, StatisticsKind.ProtoStats),
            _ => (false, default),
        };
        return known;
    }

    /// <summary>ntpd statistics Stratum does not implement.</summary>
    public static bool IsNotImplemented(string name) => name is "cryptostats" or "timingstats";

    public static string NameOf(StatisticsKind kind) => kind switch
    {
        StatisticsKind.LoopStats => "loopstats",
        StatisticsKind.PeerStats => "peerstats",
        StatisticsKind.ClockStats => "clockstats",
        StatisticsKind.RawStats => "rawstats",
        StatisticsKind.SysStats => "sysstats",
        StatisticsKind.ProtoStats => "protostats",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a statistics kind"),
    };
}
