// ConfigFileIncludeSource: reads "includefile" targets from the file system for ConfigParser.
// The parser already joins a relative path to the including file's directory; a path that is
// still relative (the main config was named without a directory) is taken from the main
// config's directory, never from the daemon's working directory.
using Stratum.Core.Config;

namespace Stratum.Platform.Files;

/// <summary>Include source over real files.</summary>
public sealed class ConfigFileIncludeSource : IConfigIncludeSource
{
    private readonly string _baseDirectory;

    /// <param name="baseDirectory">Directory of the main config file.</param>
    public ConfigFileIncludeSource(string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(baseDirectory);
        _baseDirectory = baseDirectory;
    }

    public bool TryRead(string path, out string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        string fullPath = Path.IsPathRooted(path) ? path : Path.Join(_baseDirectory, path);
        return ConfigFileReader.TryRead(fullPath, out text, out error);
    }
}
