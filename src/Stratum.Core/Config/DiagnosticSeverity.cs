// DiagnosticSeverity: how serious a config diagnostic is (ARCHITECTURE.md §7: ntpd refuses to
// start on any error; warnings are logged and the daemon runs).
namespace Stratum.Core.Config;

/// <summary>Severity of a <see cref="ConfigDiagnostic"/>.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Something is ignored or unusual; the config is still usable.</summary>
    Warning,

    /// <summary>The config is wrong; the daemon must not start with it.</summary>
    Error,
}
