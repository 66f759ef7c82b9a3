// IncludePath: where an "includefile PATH" points. ntpd 4.2.8 opens a relative PATH from its
// working directory (usually /).
// Deviation: Stratum resolves a relative PATH against the directory of the including file, so
// a config tree can be moved or tested as a unit; absolute paths behave as in ntpd. Pure string
// work: no file system access.
namespace Stratum.Core.Config;

/// <summary>Resolution of includefile paths.</summary>
internal static class IncludePath
{
    /// <summary>
    /// <paramref name="path"/> joined to the directory of <paramref name="includingFile"/> when
    /// relative; unchanged when absolute or when the including file has no directory (or is a
    /// pseudo name such as "&lt;embedded default&gt;").
    /// </summary>
    public static string Resolve(string includingFile, string path)
    {
        if (Path.IsPathRooted(path) || includingFile.StartsWith('<'))
        {
            return path;
        }

        string? directory = Path.GetDirectoryName(includingFile);
        return string.IsNullOrEmpty(directory) ? path : Path.Join(directory, path);
    }
}
