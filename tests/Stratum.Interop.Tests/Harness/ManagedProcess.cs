// Runs one daemon or client tool the safe way: `timeout -k 3 N setpriv --bounding-set -sys_time
// --inh-caps -sys_time -- EXE ARGS`. Without CAP_SYS_TIME nothing it starts can step, slew or
// re-tune this machine's clock; coreutils `timeout` is a hard time limit that holds even if the test
// host dies. Output is captured line by line. Dispose stops it by its PID: SIGTERM (timeout forwards
// it to the program), then after 3 s SIGKILL to the whole tree. Limits: Linux only; the program gets
// no standard input; lines are kept in memory (the tools here print little).
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Stratum.Interop.Tests.Harness;

public sealed class ManagedProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_termGrace = TimeSpan.FromSeconds(3);
    private readonly Process _process;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private readonly StringBuilder _standardOutput = new();
    private readonly StringBuilder _standardError = new();
    private bool _killedByUs;
    private bool _stoppedAtTimeout;

    private ManagedProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
    }

    public string CommandLine { get; }

    /// <summary>PID of the `timeout` wrapper; the program runs as its only child.</summary>
    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string StandardOutput
    {
        get { lock (_gate) { return _standardOutput.ToString(); } }
    }

    public string StandardError
    {
        get { lock (_gate) { return _standardError.ToString(); } }
    }

    /// <summary>Starts EXECUTABLE without CAP_SYS_TIME, killed at the latest after HARDTIMEOUT.</summary>
    public static ManagedProcess Start(string executable, IEnumerable<string> arguments, TimeSpan hardTimeout,
        string? workingDirectory = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hardTimeout, TimeSpan.FromSeconds(1));
        var programArguments = arguments.ToList();
        var startInfo = new ProcessStartInfo(InteropEnvironment.Tool("timeout"))
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        string[] prefix =
        [
            "--kill-after=3", "--signal=TERM",
            ((int)Math.Ceiling(hardTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
            InteropEnvironment.Tool("setpriv"), "--bounding-set", "-sys_time", "--inh-caps", "-sys_time", "--",
            executable,
        ];
        foreach (var argument in prefix.Concat(programArguments))
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["LC_ALL"] = "C";
        startInfo.Environment["TZ"] = "UTC";

        var process = new Process { StartInfo = startInfo };
        var managed = new ManagedProcess(process, string.Join(' ', programArguments.Prepend(executable).Select(Quote)));
        process.OutputDataReceived += (_, e) => managed.Append(managed._standardOutput, e.Data);
        process.ErrorDataReceived += (_, e) => managed.Append(managed._standardError, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {managed.CommandLine}");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>Runs a client tool to completion (or kills it after TIMEOUT) and returns what it printed.</summary>
    public static async Task<ProcessResult> RunAsync(string executable, IEnumerable<string> arguments, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        await using var process = Start(executable, arguments, timeout + TimeSpan.FromSeconds(2));
        return await process.WaitForExitAsync(timeout, cancellationToken);
    }

    /// <summary>Waits at most TIMEOUT for the process to end, then stops it; returns what it left.</summary>
    public async Task<ProcessResult> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            _stoppedAtTimeout = !cancellationToken.IsCancellationRequested;
            await StopAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }

        return Snapshot();
    }

    /// <summary>Waits (bounded by TIMEOUT) until a line of stdout or stderr satisfies MATCH.</summary>
    public async Task<bool> WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        for (var attempt = 0; attempt < 1000 && deadline.Elapsed < timeout; attempt++)
        {
            if (match(StandardOutput) || match(StandardError))
            {
                return true;
            }

            if (_process.HasExited)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }

        return match(StandardOutput) || match(StandardError);
    }

    /// <summary>SIGTERM by PID (timeout passes it on to the program), as a daemon is normally stopped.</summary>
    public async Task SendTerminateAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        var kill = new ProcessStartInfo(InteropEnvironment.Tool("kill")) { UseShellExecute = false };
        kill.ArgumentList.Add("-TERM");
        kill.ArgumentList.Add(Pid.ToString(CultureInfo.InvariantCulture));
        using var signaller = Process.Start(kill);
        if (signaller is not null)
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await signaller.WaitForExitAsync(limit.Token);
        }
    }

    /// <summary>SIGTERM, up to 3 s of grace, then SIGKILL to the process and all its descendants.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        try
        {
            await SendTerminateAsync();
            using var grace = new CancellationTokenSource(s_termGrace);
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree();
        }
        catch (InvalidOperationException)
        {
            KillTree();
        }
    }

    /// <summary>PID of the program itself (the child of `timeout`; setpriv has exec'd it), or -1 if gone.</summary>
    public int DaemonPid()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // exited meanwhile
            }

            // "pid (comm) state ppid ...": comm may contain spaces, so read after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 1 && int.TryParse(fields[1], CultureInfo.InvariantCulture, out var parent) && parent == Pid)
            {
                return pid;
            }
        }

        return -1;
    }

    public ProcessResult Snapshot() => new(
        CommandLine,
        _process.HasExited ? _process.ExitCode : -1,
        StandardOutput,
        StandardError,
        _stoppedAtTimeout || _killedByUs || (_process.HasExited && _process.ExitCode is 124 or 137),
        _clock.Elapsed);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private void KillTree()
    {
        _killedByUs = true;
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (InvalidOperationException)
        {
            // Already gone between the check and the kill.
        }
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            target.Append(line).Append('\n');
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=+,@".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
