// LeapSecondsParseResult: what LeapSecondsParser.Parse returns: the table (null when the file
// lacks what a table needs: its times or any entry) and every diagnostic in file order. With an
// error (a hash mismatch, a malformed line) the table must not be used, as ntpd refuses such a
// file; warnings (expired, no hash) leave it usable, as ntpd loads it with a complaint.
using Stratum.Core.Config;

namespace Stratum.Core.Leap;

/// <summary>A parsed leap-seconds.list and its diagnostics.</summary>
public sealed record LeapSecondsParseResult(LeapSecondTable? Table, IReadOnlyList<ConfigDiagnostic> Diagnostics)
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
