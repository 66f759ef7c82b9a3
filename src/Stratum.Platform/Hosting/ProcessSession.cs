// ProcessSession: process-level chores of a daemon: leaving the terminal's session after
// detaching, and the pid file ntpd -p writes (removed again at exit; written as the drift file is,
// through an exclusive temporary never opened through a symbolic link, then renamed).
using Stratum.Platform.Interop;

namespace Stratum.Platform.Hosting;

/// <summary>Session and pid-file helpers for ntpd.</summary>
public static class ProcessSession
{
    /// <summary>Starts a new session (setsid); harmless when already a leader.</summary>
    public static void Detach() => _ = SessionCalls.SetSid();

    /// <summary>Writes the pid file atomically (temp + rename); returns an error text or null.</summary>
    public static string? WritePidFile(string path, int processId)
    {
        byte[] content = System.Text.Encoding.ASCII.GetBytes(processId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        string? error = Stratum.Platform.Files.NoFollowFile.ReplaceAtomically(path, content, ".tmp", out string? notice);
        return error is not null ? $"cannot write pid file {path}: {error}"
            : notice is not null ? $"pid file {path}: {notice}"
            : null;
    }

    public static void RemovePidFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing useful to do at exit.
        }
    }
}
