// IStatisticsSink: the statistics port of the action executor (EngineActionExecutor): the loopstats,
// peerstats, rawstats and sysstats records of one Engine call, stamped with the clock's time when they
// are carried out. StatisticsWriter implements it (filegen files, written off the loop).
using Stratum.Engine;

namespace Stratum.Platform.Hosting;

/// <summary>Receives statistics records.</summary>
public interface IStatisticsSink
{
    /// <summary>Records the statistics of <paramref name="actions"/> stamped <paramref name="unixNanoseconds"/>;
    /// <paramref name="localAddressOf"/> names the local end of an association's socket (rawstats).</summary>
    void Record(EngineActions actions, long unixNanoseconds, Func<int, string?> localAddressOf);
}
