// ProcessSession: process-level chores of a daemon: leaving the terminal's session after
// detaching, and the pid file ntpd -p writes (removed again at exit).
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
        try
        {
            string temporary = path + ".tmp";
            File.WriteAllText(temporary, processId + "\n");
            File.Move(temporary, path, overwrite: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot write pid file {path}: {e.Message}";
        }
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
