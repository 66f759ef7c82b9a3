// ConfigParseResult: what ConfigParser.Parse returns: the model built from every line that
// parsed, and all diagnostics in the order found. With errors the model is incomplete and must
// not be used to run the daemon (ARCHITECTURE.md §7).
namespace Stratum.Core.Config;

/// <summary>A parsed configuration and its diagnostics.</summary>
public sealed record ConfigParseResult(NtpConfig Config, IReadOnlyList<ConfigDiagnostic> Diagnostics)
{
    /// <summary>True when at least one diagnostic is an error.</summary>
    public bool HasErrors
    {
        get
        {
            foreach (ConfigDiagnostic diagnostic in Diagnostics)
            {
                if (diagnostic.Severity == DiagnosticSeverity.Error)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
