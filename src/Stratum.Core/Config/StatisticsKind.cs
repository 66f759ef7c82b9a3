// StatisticsKind: the statistics files of ntpd 4.2.8 that Stratum writes (monopt.html
// "statistics name ..."). cryptostats (Autokey) and timingstats (debug builds) are not
// implemented; the parser warns about them.
namespace Stratum.Core.Config;

/// <summary>A statistics file set.</summary>
public enum StatisticsKind
{
    /// <summary><c>loopstats</c>: clock discipline updates.</summary>
    LoopStats,

    /// <summary><c>peerstats</c>: peer samples.</summary>
    PeerStats,

    /// <summary><c>clockstats</c>: reference clock timecodes.</summary>
    ClockStats,

    /// <summary><c>rawstats</c>: raw packet timestamps.</summary>
    RawStats,

    /// <summary><c>sysstats</c>: hourly system counters.</summary>
    SysStats,

    /// <summary><c>protostats</c>: protocol events.</summary>
    ProtoStats,
}
