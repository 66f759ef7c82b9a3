// The client programs the interop tests point at a server, each run once, without CAP_SYS_TIME and
// with a hard timeout: ntpsec's ntpdig (plain and -j), sntp, chronyd -Q (measures, never sets:
// "(ignored)") and our dist/ntpdate -q. Never ntpdate without -q, never chronyd without -Q here.
// SampleAsync repeats a query at most 5 times, 200 ms apart, until one result meets the bound: a
// client on a busy 2-CPU machine can be descheduled between its T1 and its send (ntpdig is Python),
// which shows as an offset of about -delay/2; a server that is really off is off every time.
using System.Net;

namespace Stratum.Interop.Tests.Harness;

public static class ClientTools
{
    /// <summary>Bound on |offset| for any server on this machine's loopback: they all serve the same clock.</summary>
    public const double MaxLoopbackOffset = 0.001;

    public const int MaxSamples = 5;

    private static readonly TimeSpan s_toolTimeout = TimeSpan.FromSeconds(15);

    public static Task<ProcessResult> NtpdigAsync(IPAddress server, bool json, CancellationToken cancellationToken)
    {
        string[] arguments = json ? ["-j", "-t", "2", server.ToString()] : ["-t", "2", server.ToString()];
        return ManagedProcess.RunAsync(InteropEnvironment.Tool("ntpdig"), arguments, s_toolTimeout, cancellationToken);
    }

    /// <summary>sntp: a symlink to ntpdig on Debian 12, ntp.org's sntp elsewhere; both take -t SECONDS.</summary>
    public static Task<ProcessResult> SntpAsync(IPAddress server, CancellationToken cancellationToken) =>
        ManagedProcess.RunAsync(InteropEnvironment.Tool("sntp"), ["-t", "2", server.ToString()], s_toolTimeout,
            cancellationToken);

    /// <summary>chronyd -Q: one sample from SERVER, prints "System clock wrong by X seconds (ignored)".</summary>
    public static Task<ProcessResult> ChronydQueryAsync(IPAddress server, CancellationToken cancellationToken) =>
        ManagedProcess.RunAsync(InteropEnvironment.Chronyd(),
            ["-Q", "-t", "5", "-u", "root", $"server {server} iburst maxsamples 1"], s_toolTimeout, cancellationToken);

    /// <summary>Our dist/ntpdate in query-only mode (-q): never sets the clock.</summary>
    public static Task<ProcessResult> OurNtpdateQueryAsync(IPAddress server, CancellationToken cancellationToken) =>
        ManagedProcess.RunAsync(InteropEnvironment.OurTool("ntpdate"), ["-q", server.ToString()], s_toolTimeout,
            cancellationToken);

    /// <summary>ntpsec's ntpq with ARGUMENTS (mode 6 queries only, e.g. -c rv, -p).</summary>
    public static Task<ProcessResult> NtpsecNtpqAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ManagedProcess.RunAsync(InteropEnvironment.NtpsecNtpq(), arguments, s_toolTimeout, cancellationToken);

    /// <summary>Our dist/ntpq with ARGUMENTS.</summary>
    public static Task<ProcessResult> OurNtpqAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ManagedProcess.RunAsync(InteropEnvironment.OurTool("ntpq"), arguments, s_toolTimeout, cancellationToken);

    /// <summary>
    /// Runs RUN up to MaxSamples times, parsing each output with PARSE, until ISGOOD accepts one.
    /// Returns every attempt (output and parsed value, null when unparseable) for the assertions.
    /// </summary>
    public static async Task<IReadOnlyList<(ProcessResult Output, T? Parsed)>> SampleAsync<T>(
        Func<CancellationToken, Task<ProcessResult>> run, Func<ProcessResult, T?> parse, Func<T, bool> isGood,
        CancellationToken cancellationToken)
        where T : class
    {
        var attempts = new List<(ProcessResult, T?)>();
        for (var attempt = 0; attempt < MaxSamples; attempt++)
        {
            var output = await run(cancellationToken);
            var parsed = parse(output);
            attempts.Add((output, parsed));
            if (parsed is not null && isGood(parsed))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        return attempts;
    }

    /// <summary>All attempts' command lines and outputs, for assertion messages.</summary>
    public static string Describe<T>(IEnumerable<(ProcessResult Output, T? Parsed)> attempts) =>
        string.Join("\n", attempts.Select((a, i) => $"attempt {i + 1}: parsed {a.Parsed?.ToString() ?? "nothing"}\n{a.Output.Describe()}"));
}
