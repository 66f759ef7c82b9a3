// Parses ntp.org ntpdate 4.2.8's `-q` server line, which our dist/ntpdate must print the same way:
//   server 127.0.0.11, stratum 1, offset -0.000012, delay 0.02567
// (one line per server; the "adjust time server ..." summary line that follows is not parsed).
using System.Globalization;
using System.Text.RegularExpressions;

namespace Stratum.Interop.Tests.Harness;

public sealed partial record NtpdateResult(string Server, int Stratum, double Offset, double Delay)
{
    /// <summary>Every server line in OUTPUT, in order.</summary>
    public static IReadOnlyList<NtpdateResult> ParseAll(string output)
    {
        var results = new List<NtpdateResult>();
        foreach (var line in output.Split('\n'))
        {
            var match = ServerLine().Match(line.Trim());
            if (match.Success)
            {
                results.Add(new NtpdateResult(
                    match.Groups["server"].Value,
                    int.Parse(match.Groups["stratum"].Value, CultureInfo.InvariantCulture),
                    double.Parse(match.Groups["offset"].Value, CultureInfo.InvariantCulture),
                    double.Parse(match.Groups["delay"].Value, CultureInfo.InvariantCulture)));
            }
        }

        return results;
    }

    [GeneratedRegex(@"^server (?<server>[^,\s]+), stratum (?<stratum>\d+), offset (?<offset>[+-]?\d+\.\d+), delay (?<delay>[+-]?\d+\.\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ServerLine();
}
