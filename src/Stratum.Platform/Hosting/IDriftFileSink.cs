// IDriftFileSink: the drift file port of the action executor (EngineActionExecutor): the Engine says
// when the frequency is to be kept (hourly and at exit, only once it is settled); the sink writes it.
// DriftFileKeeper implements it with an atomic write.
namespace Stratum.Platform.Hosting;

/// <summary>Writes the drift file.</summary>
public interface IDriftFileSink
{
    /// <summary>Writes <paramref name="frequency"/> (s/s); returns an error text the first time a given
    /// error happens, else null.</summary>
    string? Save(double frequency);
}
