// Parses the one line that matters from `chronyd -Q 'server ADDR iburst maxsamples 1'` (chrony 4.3):
//   2026-11-22T22:57:59Z System clock wrong by -0.000001 seconds (ignored)
// -Q measures the offset and never touches the clock ("ignored"). Without that line chronyd timed
// out or rejected the server ("Timeout reached", "No suitable source").
using System.Globalization;
using System.Text.RegularExpressions;

namespace Stratum.Interop.Tests.Harness;

public sealed partial record ChronydQueryResult(double Offset)
{
    /// <summary>The measured offset, or null if OUTPUT has no "System clock wrong by" line.</summary>
    public static ChronydQueryResult? Parse(string output)
    {
        var match = WrongByLine().Match(output);
        return match.Success
            ? new ChronydQueryResult(double.Parse(match.Groups["offset"].Value, CultureInfo.InvariantCulture))
            : null;
    }

    [GeneratedRegex(@"System clock wrong by (?<offset>[+-]?\d+\.\d+) seconds \(ignored\)", RegexOptions.CultureInvariant)]
    private static partial Regex WrongByLine();
}
