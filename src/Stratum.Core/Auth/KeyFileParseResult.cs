// KeyFileParseResult: what KeyFileParser.Parse returns: the keys of every line that parsed and
// all diagnostics in file order. With errors the table is incomplete; ntpd rejects such a file
// whole ("rejecting file ... after N errors") and so must the daemon.
using Stratum.Core.Config;

namespace Stratum.Core.Auth;

/// <summary>A parsed keys file and its diagnostics ("ntp.keys:3:3: error: ...").</summary>
public sealed record KeyFileParseResult(KeyTable Keys, IReadOnlyList<ConfigDiagnostic> Diagnostics)
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
