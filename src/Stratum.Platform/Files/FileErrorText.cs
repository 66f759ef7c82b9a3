// FileErrorText: one wording for file failures across Platform (config, drift, pid, log files):
// the strerror(3) text users know from ntpd ("No such file or directory", "Permission denied")
// rather than .NET's exception messages.
namespace Stratum.Platform.Files;

/// <summary>Turns file exceptions into strerror-style text.</summary>
internal static class FileErrorText
{
    /// <summary>The strerror(3) wording for the usual failures; .NET's message otherwise.</summary>
    public static string Describe(string path, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case FileNotFoundException or DirectoryNotFoundException:
                return "No such file or directory";
            case UnauthorizedAccessException:
                return Directory.Exists(path) ? "Is a directory" : "Permission denied";
            case IOException when exception.HResult > 0:
                // On Unix a plain IOException carries errno in HResult and "strerror : 'path'" as its message.
                int pathPart = exception.Message.IndexOf(" : '", StringComparison.Ordinal);
                return pathPart > 0 ? exception.Message[..pathPart] : exception.Message;
            default:
                return exception.Message;
        }
    }
}
