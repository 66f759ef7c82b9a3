// ConfigFileLoader: loads /etc/ntp.conf (or the -c file) and its includes into a
// ConfigParseResult. A file that cannot be read is an error diagnostic for the whole file,
// worded with the OS message ("cannot read /x/ntp.conf: No such file or directory"); the caller
// decides whether to fall back to EmbeddedDefaults (only when the default path does not exist).
using Stratum.Core.Config;

namespace Stratum.Platform.Files;

/// <summary>Reads and parses ntp.conf files.</summary>
public static class ConfigFileLoader
{
    public static ConfigParseResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!ConfigFileReader.TryRead(path, out string text, out string? error))
        {
            var diagnostic = new ConfigDiagnostic(DiagnosticSeverity.Error, path, 0, 0, $"cannot read {path}: {error}");
            return new ConfigParseResult(NtpConfig.Empty, [diagnostic]);
        }

        string baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        return ConfigParser.Parse(text, path, new ConfigFileIncludeSource(baseDirectory));
    }
}
