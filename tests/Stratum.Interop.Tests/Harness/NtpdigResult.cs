// Parses what ntpsec's ntpdig (and sntp, which in Debian 12 is a symlink to it) prints for one server:
//   2026-11-22 22:57:59.181217 (+0000) +0.000010 +/- 0.000053 127.0.0.11 s1 no-leap
// and with -j:
//   {"time":"...","offset":0.000010,"precision":0.000053,"host":"127.0.0.11","ip":"127.0.0.11",
//    "stratum":1,"leap":"no-leap","adjusted":false}
// ntp.org's classic sntp prints the host name and the address before the stratum; the line parser
// takes the last token before "sN" as the address, so it reads both. Error lines are ignored.
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Stratum.Interop.Tests.Harness;

public sealed partial record NtpdigResult(double Offset, double ErrorBound, string Address, int Stratum, string Leap)
{
    /// <summary>The first result line in OUTPUT, or null if there is none.</summary>
    public static NtpdigResult? ParseLine(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            var match = ResultLine().Match(line.Trim());
            if (match.Success)
            {
                var hostAndAddress = match.Groups["host"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return new NtpdigResult(
                    double.Parse(match.Groups["offset"].Value, CultureInfo.InvariantCulture),
                    double.Parse(match.Groups["error"].Value, CultureInfo.InvariantCulture),
                    hostAndAddress[^1],
                    int.Parse(match.Groups["stratum"].Value, CultureInfo.InvariantCulture),
                    match.Groups["leap"].Value);
            }
        }

        return null;
    }

    /// <summary>The first JSON object line in OUTPUT (ntpdig -j), or null if there is none or it lacks a field.</summary>
    public static NtpdigResult? ParseJson(string output)
    {
        foreach (var line in output.Split('\n'))
        {
            var text = line.Trim();
            if (!text.StartsWith('{'))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                if (root.TryGetProperty("offset", out var offset) && offset.ValueKind == JsonValueKind.Number &&
                    root.TryGetProperty("precision", out var precision) && precision.ValueKind == JsonValueKind.Number &&
                    root.TryGetProperty("ip", out var ip) && ip.ValueKind == JsonValueKind.String &&
                    root.TryGetProperty("stratum", out var stratum) && stratum.ValueKind == JsonValueKind.Number &&
                    root.TryGetProperty("leap", out var leap) && leap.ValueKind == JsonValueKind.String)
                {
                    return new NtpdigResult(offset.GetDouble(), precision.GetDouble(), ip.GetString()!,
                        stratum.GetInt32(), leap.GetString()!);
                }
            }
            catch (JsonException)
            {
                // Not the result object; keep looking.
            }
        }

        return null;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? \([+-]\d{4}\) (?<offset>[+-]?\d+\.\d+) \+/- (?<error>\d+\.\d+) (?<host>.+?) s(?<stratum>\d+) (?<leap>\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ResultLine();
}
