// What a finished (or killed) child process left behind: exit code, its output, whether the hard
// timeout ended it. Describe() renders all of it for assertion messages, so a failing interop test
// shows exactly what the tool printed.
namespace Stratum.Interop.Tests.Harness;

public sealed record ProcessResult(
    string CommandLine,
    int ExitCode,
    string StandardOutput,
    string StandardError,
    bool TimedOut,
    TimeSpan Elapsed)
{
    /// <summary>stdout then stderr, for parsers that do not care where a line went.</summary>
    public string CombinedOutput => StandardOutput + StandardError;

    public string Describe() =>
        $"$ {CommandLine}\n(exit {ExitCode}{(TimedOut ? ", KILLED after its timeout" : "")}, {Elapsed.TotalSeconds:F2} s)\n" +
        $"--- stdout ---\n{StandardOutput}--- stderr ---\n{StandardError}--------------";
}
