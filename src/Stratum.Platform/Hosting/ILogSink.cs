// ILogSink: the log port of the action executor (EngineActionExecutor): the Engine's notices, the clock
// action applier's reports ("kernel time sync enabled", a refused clock write) and errors of carrying
// out actions (a drift file that cannot be written). The daemon words them as ntpd does and acts on a
// fatal notice (DaemonHost); the simulator keeps them for its assertions.
using Stratum.Engine;
using Stratum.Platform.Clock;

namespace Stratum.Platform.Hosting;

/// <summary>Receives what the executor has to say.</summary>
public interface ILogSink
{
    /// <summary>One notice of the Engine, in order.</summary>
    void Notice(in EngineNotice notice);

    /// <summary>A report of the clock action applier (Failed marks an error).</summary>
    void ClockReport(in ClockActionReport report);

    /// <summary>An error carrying out an action (logged as an error; never fatal).</summary>
    void Error(string text);
}
