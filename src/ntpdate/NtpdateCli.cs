// NtpdateCli: ntpdate 4.2.8 in one method. Parse the command line; resolve each server (every
// address of a name becomes a server); open the sockets; query every server (SntpQueryRunner); filter
// and select (SampleFilter, ServerSelector); with -q or -d print one line per server; then step or
// slew the clock through the clock driver and log the classic summary:
//   23 Nov 07:40:00 ntpdate[4242]: adjust time server 127.0.0.20 offset +0.000012 sec
// "step" when |offset| >= 0.5 s or -b, "adjust" (slew) otherwise or with -B. -q and -d never touch
// the clock. Exit codes: 0 done, 1 no usable server or a fatal error, 2 bad command line.
//
// Source port: without -u, ntpdate binds port 123 when it will set the clock (not for -q or -d). If
// port 123 is taken we do not fall back to an unprivileged port: like ntpdate 4.2.8 we log "the NTP
// socket is in use, exiting" and exit 1, because a daemon holding port 123 is almost certainly
// disciplining this clock, and running ntpdate against it is the mistake the message exists to
// report. -u is the documented way around it.
//
// Deviations from ntpdate 4.2.8, each for a reason:
//  - A failed step ("step-systime: Operation not permitted") exits 1; ntpdate logs it and exits 0.
//  - -a KEY signs each request with KEY from -k FILE (default /etc/ntp.keys) and accepts only replies
//    signed with it; a missing key is "authentication key N unknown" and exit 1. As in 4.2.8, -e
//    DELAY is added to T1 of each signed request (the time the MAC takes before the send).
//  - -s writes to syslog through /dev/log, falling back to stderr when there is no syslog daemon.
using System.Net;
using System.Net.Sockets;
using Stratum.Client.Display;
using Stratum.Client.Sntp;
using Stratum.Client.Transport;
using Stratum.Platform.Clock;

namespace Stratum.Tools.Ntpdate;

internal static class NtpdateCli
{
    public const string VersionText = "ntpdate Stratum 0.1.0 (ntpdate 4.2.8 compatible)";

    /// <summary>Offsets at or above this (in 16.16, as ntpdate compares) are stepped (NTPDATE_THRESHOLD).</summary>
    private const double StepThresholdSeconds = 0.5;

    /// <summary>Most extra slew ntpdate adds on top of the offset (ADJ_MAXOVERSHOOT, 1/16 s).</summary>
    private const double MaxSlewOvershootSeconds = 0.0625;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, NtpdateEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);

        if (!NtpdateCommandLine.TryParse(args, out NtpdateOptions options, out List<string> errors))
        {
            foreach (string error in errors)
            {
                stderr.WriteLine(error);
            }

            stderr.WriteLine(NtpdateCommandLine.Usage);
            return 2;
        }

        Stratum.Core.Auth.SymmetricKey? key = null;
        if (options.AuthenticationKey is uint keyId && !TryLoadKey(options, keyId, stderr, out key))
        {
            return 1;
        }

        var log = new NtpdateLog(stdout, stderr, environment, options.UseSyslog, options.DebugLevel > 0);
        if (options.DebugLevel > 0 || options.Verbose)
        {
            log.Notice(VersionText);
        }

        if (!TryResolveServers(options, environment, stderr, log, out List<IPEndPoint> servers))
        {
            return 1;
        }

        if (servers.Count == 0)
        {
            log.Error("no servers can be used, exiting");
            return 1;
        }

        var clock = new SntpClock(environment.Clock.ReadRealtimeNanoseconds, environment.Clock.ReadMonotonicNanoseconds);
        bool bindNtpPort = !options.QueryOnlyOrDebug && !options.UnprivilegedPort;
        var opened = environment.OpenTransport(
            new TransportOpenRequest(bindNtpPort, options.Family != AddressFamily.InterNetworkV6, options.Family != AddressFamily.InterNetwork),
            clock);
        if (opened.Transport is not { } transport)
        {
            log.Error(opened.Error.Kind == TransportErrorKind.AddressInUse
                ? "the NTP socket is in use, exiting"
                : $"bind() fails: {opened.Error.Message}");
            return 1;
        }

        var queryOptions = new SntpQueryOptions
        {
            Samples = options.Samples,
            TimeoutNanoseconds = options.TimeoutNanoseconds,
            Version = options.Version,
            Key = key,
            AuthenticationDelayFraction = options.AuthenticationDelayFraction,
        };
        var engine = new SntpQueryEngine(servers, queryOptions, clock.ReadMonotonicNanoseconds());
        using (transport)
        {
            SntpQueryRunner.Run(engine, transport, clock, environment.RandomCookie, new NtpdateQueryObserver(stdout, log, options.DebugLevel > 0));
        }

        return AdjustClock(engine, options, environment, stdout, log);
    }

    /// <summary>-a KEY with -k FILE (default /etc/ntp.keys): the key, or a message and false, as ntpdate
    /// exits when the keys file cannot be read or lacks the key.</summary>
    private static bool TryLoadKey(NtpdateOptions options, uint keyId, TextWriter stderr, out Stratum.Core.Auth.SymmetricKey? key)
    {
        key = null;
        string text;
        try
        {
            text = File.ReadAllText(options.KeyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"ntpdate: can't read keys file {options.KeyFile}: {e.Message}");
            return false;
        }

        Stratum.Core.Auth.KeyFileParseResult keys = Stratum.Core.Auth.KeyFileParser.Parse(text, options.KeyFile);
        foreach (Stratum.Core.Config.ConfigDiagnostic diagnostic in keys.Diagnostics)
        {
            stderr.WriteLine($"ntpdate: {diagnostic}");
        }

        if (keys.HasErrors || !keys.Keys.TryGetKey(keyId, out key))
        {
            stderr.WriteLine($"ntpdate: authentication key {keyId} unknown");
            key = null;
            return false;
        }

        return true;
    }

    /// <summary>ntpdate's clock_adjust(): filter, select, print, then step or slew.</summary>
    private static int AdjustClock(SntpQueryEngine engine, NtpdateOptions options, NtpdateEnvironment environment, TextWriter stdout, NtpdateLog log)
    {
        FilterResult[] filtered = engine.FilterAll();
        SelectionCandidate[] candidates = engine.CandidatesFrom(filtered);
        var verdicts = new SelectionVerdict[candidates.Length];
        int chosen = ServerSelector.Select(candidates, verdicts);
        bool debug = options.DebugLevel > 0;
        if (debug)
        {
            for (int i = 0; i < verdicts.Length; i++)
            {
                if (DropReason(verdicts[i]) is { } reason)
                {
                    stdout.WriteLine($"{NtpdateReport.AddressText(engine.Servers[i].Endpoint.Address)}: Server dropped: {reason}");
                }
            }

            stdout.WriteLine();
            long pivot = environment.Clock.ReadRealtimeNanoseconds();
            for (int i = 0; i < engine.Servers.Count; i++)
            {
                NtpdateReport.WriteDebugBlock(stdout, engine.Servers[i], filtered[i], options.Samples, environment.TimeZone, pivot);
            }
        }
        else if (options.QueryOnly)
        {
            for (int i = 0; i < engine.Servers.Count; i++)
            {
                if (NtpdateReport.SummaryLine(engine.Servers[i], filtered[i]) is { } line)
                {
                    stdout.WriteLine(line);
                }
            }
        }

        if (chosen < 0)
        {
            log.Error("no server suitable for synchronization found");
            return 1;
        }

        var best = filtered[chosen];
        string address = NtpdateReport.AddressText(engine.Servers[chosen].Endpoint.Address);
        string offsetText = FixedPointText.SignedSeconds(best.Offset, 6);
        double offsetSeconds = best.Offset.TotalSeconds;
        bool step = options.AlwaysStep
            || (!options.NeverStep && Math.Abs(SampleFilter.ShortFixedSeconds(best.Offset)) >= StepThresholdSeconds);

        if (step)
        {
            if (!options.QueryOnlyOrDebug)
            {
                ClockWriteResult result = environment.Clock.Step(offsetSeconds);
                if (!result.Succeeded)
                {
                    log.Error($"step-systime: {ErrorText(result)}");
                    return 1;
                }
            }

            log.Notice($"step time server {address} offset {offsetText} sec");
            return 0;
        }

        if (!options.QueryOnlyOrDebug)
        {
            double slew = SlewAmount(offsetSeconds);
            if (Math.Abs(slew) >= 0.5e-6)
            {
                ClockWriteResult result = environment.Clock.Slew(slew);
                if (!result.Succeeded)
                {
                    log.Error($"Can't adjust the time of day: {ErrorText(result)}");
                    return 1;
                }
            }
        }

        log.Notice($"adjust time server {address} offset {offsetText} sec");
        return 0;
    }

    /// <summary>
    /// ntpdate overshoots a slew by half the offset, at most 1/16 s, so the clock ends nearer the
    /// true time on average (ntpdate.h: "ntpdate actually overadjusts (currently by 50%)").
    /// </summary>
    internal static double SlewAmount(double offsetSeconds)
    {
        double magnitude = Math.Abs(offsetSeconds);
        double total = magnitude + Math.Min(magnitude / 2, MaxSlewOvershootSeconds);
        return offsetSeconds < 0 ? -total : total;
    }

    private static bool TryResolveServers(NtpdateOptions options, NtpdateEnvironment environment, TextWriter stderr, NtpdateLog log, out List<IPEndPoint> servers)
    {
        servers = [];
        foreach (string name in options.Servers)
        {
            HostResolution resolution = environment.Resolve(name, options.Family, environment.ServerPort);
            if (!resolution.Succeeded)
            {
                if (resolution.NameServerUnusable)
                {
                    stderr.WriteLine($"Exiting, name server cannot be used: {resolution.ErrorText} ({resolution.ErrorCode})");
                    log.Error($"name server cannot be used: {resolution.ErrorText} ({resolution.ErrorCode})");
                    return false;
                }

                stderr.WriteLine($"Error resolving {name}: {resolution.ErrorText} ({resolution.ErrorCode})");
                log.Error($"Can't find host {name}: {resolution.ErrorText} ({resolution.ErrorCode})");
                continue;
            }

            foreach (IPAddress address in resolution.Addresses)
            {
                var endpoint = new IPEndPoint(address, environment.ServerPort);
                if (!servers.Contains(endpoint))
                {
                    servers.Add(endpoint);
                }
            }
        }

        return true;
    }

    private static string ErrorText(ClockWriteResult result) =>
        result.Detail ?? (result.Outcome == ClockWriteOutcome.PermissionDenied ? "Operation not permitted" : $"error {result.Errno}");

    /// <summary>ntpdate's debug wording for a dropped server; null for servers still in the running.</summary>
    private static string? DropReason(SelectionVerdict verdict) => verdict switch
    {
        SelectionVerdict.NoData => "no data",
        SelectionVerdict.StratumTooHigh => "strata too high",
        SelectionVerdict.TooFarAway => "server too far away",
        SelectionVerdict.LeapNotInSync => "leap not in sync",
        SelectionVerdict.VeryBroken => "server is very broken",
        SelectionVerdict.TooLongWithoutSync => "server has gone too long without sync",
        _ => null,
    };
}
