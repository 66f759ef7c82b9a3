// The published ntpd (dist/, or $STRATUM_DIST) stops within 50 ms of SIGTERM or SIGINT, also when
// started with SIGINT and SIGQUIT ignored, exits 0 and logs "ntpd exiting on signal N (Name)". bash
// starts it (observe-only, no CAP_SYS_TIME, 127.0.0.28, a free port) and, once it has answered,
// times kill to waitpid with builtins and $EPOCHREALTIME (typically 2-10 ms). Shared CPUs can starve
// any process, so 3 of at most 5 stops must be within the limit; the old loop (asleep until its 1 s
// timer, ~900 ms here) passes that well under once in a hundred runs. Skips without dist/ntpd, bash,
// setpriv or env (fails when CI=true).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Stratum.Cli.Tests.Ntpd;

public sealed class NtpdStopSignalTests : IDisposable
{
    private const double LimitMilliseconds = 50;
    private const int Attempts = 5;
    private const int Needed = 3;
    private static readonly IPAddress s_address = IPAddress.Parse("127.0.0.28");

    // $1 default|ignored, $2 signal name, $3 log file, then the daemon's command line. Prints
    // "started PID", waits for a line on stdin, then "stopped STATUS T0 T1" (seconds, microsecond
    // resolution). A watchdog kills a daemon that has not stopped 3 s after the signal (status 137).
    private const string Script = """
        mode=$1 sig=$2 log=$3
        shift 3
        set -m
        if [ "$mode" = ignored ]; then
          sh -c 'trap "" INT QUIT; exec "$@"' sh setpriv --bounding-set -sys_time --inh-caps -sys_time -- "$@" 2>"$log" &
        else
          env --default-signal=INT,QUIT setpriv --bounding-set -sys_time --inh-caps -sys_time -- "$@" 2>"$log" &
        fi
        pid=$!
        echo "started $pid"
        if ! read -r _; then kill -KILL "$pid"; wait "$pid"; exit 3; fi
        (sleep 3; kill -KILL "$pid") >/dev/null 2>&1 &
        dog=$!
        t0=$EPOCHREALTIME
        kill -s "$sig" "$pid"
        wait "$pid"
        rc=$?
        t1=$EPOCHREALTIME
        kill -- -"$dog" 2>/dev/null
        echo "stopped $rc $t0 $t1"
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-ntpd-stop-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("TERM", false, "ntpd exiting on signal 15 (Terminated)")]
    [InlineData("INT", false, "ntpd exiting on signal 2 (Interrupt)")]
    [InlineData("INT", true, "ntpd exiting on signal 2 (Interrupt)")]
    public void Ntpd_StopSignal_ExitsWithin50MillisecondsAndLogs(string signal, bool startedWithIntIgnored, string expectedLog)
    {
        string ntpd = PublishedNtpd.Locate();
        string config = Path.Combine(_directory, "ntp.conf");
        File.WriteAllText(config, $"""
            server 127.127.1.0
            fudge 127.127.1.0 stratum 10
            disable ntp
            interface ignore wildcard
            interface ignore ipv4
            interface ignore ipv6
            interface listen {s_address}
            """);
        var figures = new List<double>();
        int within = 0;
        for (int attempt = 1; attempt <= Attempts && within < Needed && attempt - 1 - within <= Attempts - Needed; attempt++)
        {
            (int status, double milliseconds, string log) = StopOnce(ntpd, config, signal, startedWithIntIgnored, attempt);
            Assert.True(status == 0, $"attempt {attempt}: exit status {status} after SIG{signal}; log:\n{log}");
            Assert.Contains(expectedLog, log, StringComparison.Ordinal);
            figures.Add(milliseconds);
            within += milliseconds <= LimitMilliseconds ? 1 : 0;
        }

        string measured = string.Join(", ", figures.Select(f => f.ToString("0.0", CultureInfo.InvariantCulture) + " ms"));
        TestContext.Current.TestOutputHelper?.WriteLine($"SIG{signal}{(startedWithIntIgnored ? " (INT ignored at start)" : "")}: kill to waitpid {measured}");
        Assert.True(within >= Needed, $"SIG{signal}{(startedWithIntIgnored ? " (SIGINT ignored at start)" : "")}: kill to waitpid took {measured}; limit {LimitMilliseconds} ms in {Needed} of {Attempts}");
    }

    // One daemon: start, wait for an answer, signal, and return bash's figures and the daemon's log.
    private (int Status, double Milliseconds, string Log) StopOnce(string ntpd, string config, string signal, bool ignored, int attempt)
    {
        string log = Path.Combine(_directory, $"ntpd-{attempt}.log");
        int port = InProcessNtpd.FreePort(s_address);
        var start = new ProcessStartInfo("bash")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in (string[])["-c", Script, "bash", ignored ? "ignored" : "default", signal, log,
                     ntpd, "-n", "-c", config, "--port", port.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C"; // $EPOCHREALTIME with a decimal point
        using var shell = Process.Start(start) ?? throw new InvalidOperationException("cannot start bash");
        try
        {
            string? started = ReadLine(shell, TimeSpan.FromSeconds(10));
            Assert.True(started?.StartsWith("started ", StringComparison.Ordinal) == true, $"bash: {started}");
            Assert.True(PublishedNtpd.WaitUntilServing(new IPEndPoint(s_address, port), TimeSpan.FromSeconds(20)),
                $"ntpd did not answer on {s_address}:{port}; log:\n{ReadLog(log)}");
            shell.StandardInput.WriteLine("go");
            shell.StandardInput.Flush();
            string? stopped = ReadLine(shell, TimeSpan.FromSeconds(10));
            string[] fields = stopped?.Split(' ') ?? [];
            Assert.True(fields is ["stopped", _, _, _], $"bash: {stopped}");
            int status = int.Parse(fields[1], CultureInfo.InvariantCulture);
            double t0 = double.Parse(fields[2], CultureInfo.InvariantCulture);
            double t1 = double.Parse(fields[3], CultureInfo.InvariantCulture);
            Assert.True(shell.WaitForExit(TimeSpan.FromSeconds(10)), "bash did not exit");
            return (status, (t1 - t0) * 1000, ReadLog(log));
        }
        finally
        {
            if (!shell.HasExited)
            {
                shell.StandardInput.Close(); // bash kills the daemon when its read fails
                if (!shell.WaitForExit(TimeSpan.FromSeconds(5)))
                {
                    shell.Kill(entireProcessTree: true);
                }
            }
        }
    }

    private static string? ReadLine(Process process, TimeSpan timeout)
    {
        Task<string?> line = process.StandardOutput.ReadLineAsync();
        return line.Wait(timeout) ? line.Result : null;
    }

    private static string ReadLog(string path) => File.Exists(path) ? File.ReadAllText(path) : "(no log)";
}
