// IConfigIncludeSource: how the parser reads "includefile" targets without touching the file
// system itself (Core has no File API). Platform implements it over real files; tests use a
// dictionary.
namespace Stratum.Core.Config;

/// <summary>Reads the text of an included config file.</summary>
public interface IConfigIncludeSource
{
    /// <summary>Reads <paramref name="path"/>. Never throws for a missing or unreadable file.</summary>
    /// <param name="path">
    /// The includefile argument; a relative one has already been joined to the directory of the
    /// including file when that file has a directory.
    /// </param>
    /// <param name="text">The file's text when the result is true.</param>
    /// <param name="error">The reason, such as "No such file or directory", when the result is false.</param>
    bool TryRead(string path, out string text, out string? error);
}
