// ConfigTarget: ConfigParser.Parse over any text, with includefile served from the input itself:
// the input is split at NUL characters into at most four files, "ntp.conf" and then "p1".."p3"
// (an includefile naming any path whose last segment is pN reads part N; others are missing).
// Beyond "no exception": every diagnostic passes DiagnosticChecks and HasErrors agrees with the
// diagnostics.
using System.Text;
using Stratum.Core.Config;

namespace Stratum.Fuzz.Targets;

internal static class ConfigTarget
{
    private const int MaxFiles = 4;

    public static void Run(ReadOnlySpan<byte> input)
    {
        string text = Encoding.UTF8.GetString(input);
        string[] files = text.Split('\0', MaxFiles);
        ConfigParseResult result = ConfigParser.Parse(files[0], "ntp.conf", new PartIncludeSource(files));

        FuzzInvariantException.Check(result.Config is not null, "no config model");
        DiagnosticChecks.CheckAll(result.Diagnostics, lineCount: 0);
        FuzzInvariantException.Check(result.HasErrors == DiagnosticChecks.AnyError(result.Diagnostics), "HasErrors disagrees with the diagnostics");
    }

    /// <summary>Serves "pN" from part N of the input.</summary>
    private sealed class PartIncludeSource(string[] files) : IConfigIncludeSource
    {
        public bool TryRead(string path, out string text, out string? error)
        {
            int slash = path.LastIndexOf('/');
            string name = path[(slash + 1)..];
            if (name.Length == 2 && name[0] == 'p' && name[1] is >= '1' and <= '9' && name[1] - '0' < files.Length)
            {
                text = files[name[1] - '0'];
                error = null;
                return true;
            }

            text = "";
            error = "No such file or directory";
            return false;
        }
    }
}
