// A server started by the interop harness: its process, address, private run directory and the
// first reply that showed it ready. Dispose stops it by PID (SIGTERM, then SIGKILL) and deletes the
// run directory. Diagnostics() gathers its output and log file for assertion messages.
using System.Net;
using System.Text;

namespace Stratum.Interop.Tests.Harness;

public sealed class RunningDaemon : IAsyncDisposable
{
    private readonly string? _logFile;

    public RunningDaemon(string name, IPAddress address, ManagedProcess process, string runDirectory, string? logFile)
    {
        Name = name;
        Address = address;
        Process = process;
        RunDirectory = runDirectory;
        _logFile = logFile;
    }

    public string Name { get; }

    public IPAddress Address { get; }

    public ManagedProcess Process { get; }

    public string RunDirectory { get; }

    /// <summary>The reply that satisfied the readiness condition (synchronised, expected stratum).</summary>
    public NtpReply? ReadyReply { get; internal set; }

    /// <summary>Time from process start to ReadyReply.</summary>
    public TimeSpan TimeToReady { get; internal set; }

    public string Diagnostics()
    {
        var text = new StringBuilder();
        text.Append($"{Name} on {Address}:123 (pid {Process.Pid}{(Process.HasExited ? ", EXITED" : "")})\n");
        text.Append($"$ {Process.CommandLine}\n--- stdout ---\n{Tail(Process.StandardOutput)}--- stderr ---\n{Tail(Process.StandardError)}");
        if (_logFile is not null)
        {
            var log = File.Exists(_logFile) ? File.ReadAllText(_logFile) : "(no log file)\n";
            text.Append($"--- {_logFile} ---\n{Tail(log)}");
        }

        return text.Append("--------------").ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        try
        {
            Directory.Delete(RunDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean up from /tmp.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private static string Tail(string text, int maxLength = 4000) =>
        text.Length <= maxLength ? text : "...\n" + text[^maxLength..];
}
