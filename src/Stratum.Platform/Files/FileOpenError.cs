// FileOpenError: why NoFollowFile.OpenAppend did not open a statistics or log file: a symbolic link
// at its name (refused, never followed: the daemon runs as root) or an error of the operating system.
namespace Stratum.Platform.Files;

/// <summary>Why a file was not opened.</summary>
public enum FileOpenError
{
    None = 0,

    /// <summary>The path is a symbolic link: refused, never followed.</summary>
    SymbolicLink = 1,

    /// <summary>The operating system refused (the message has its strerror text).</summary>
    System = 2,
}
