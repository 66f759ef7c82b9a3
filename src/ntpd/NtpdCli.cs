// NtpdCli: ntpd's command line (ntpd 4.2.8's classic options plus Stratum's --check and
// --virtual-clock), start-up and shutdown. It loads the config (or the embedded default when
// /etc/ntp.conf does not exist), chooses the clock driver, opens the log, binds the listen
// addresses and runs the event loop until SIGTERM/SIGINT. Exit codes: 0 stopped or config OK,
// 1 config or fatal runtime error, 2 bad command line (ARCHITECTURE.md §7).
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Stratum.Core.Config;
using Stratum.Engine;
using Stratum.Platform.Clock;
using Stratum.Platform.Files;
using Stratum.Platform.Hosting;
using Stratum.Platform.Logging;
using Stratum.Platform.Loop;
using Stratum.Platform.Net;

namespace Stratum.Tools.Ntpd;

internal static class NtpdCli
{
    public const string VersionText = "ntpd Stratum 0.1.0 (ntpd 4.2.8 compatible)";

    private const string Usage =
        "usage: ntpd [-46gnqx] [-c conffile] [-d]... [-l logfile] [-p pidfile] [-f driftfile] [-s statsdir] [-k keyfile] [-I iface]... [-u user[:group]] [-i jaildir] [--check] [--virtual-clock [OFFSET[,PPM]]] [--io-batch N] [--server-threads N] [--version]";

    private const string DaemonChildVariable = "STRATUM_NTPD_DAEMON_CHILD";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, NtpdEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);

        var options = new NtpdOptions();
        ParseResult parsed = options.Command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (ParseError error in parsed.Errors)
            {
                stderr.WriteLine($"ntpd: {error.Message}");
            }

            stderr.WriteLine(Usage);
            return 2;
        }

        if (parsed.Tokens.Any(t => t.Value is "-h" or "--help" or "-?"))
        {
            stdout.WriteLine(Usage);
            return 0;
        }

        if (parsed.GetValue(options.Version))
        {
            stdout.WriteLine(VersionText);
            return 0;
        }

        if (!VirtualClockArgument.TryParse(parsed, options.VirtualClock, out VirtualClockArgument? virtualClock, out string? virtualError))
        {
            stderr.WriteLine($"ntpd: {virtualError}");
            stderr.WriteLine(Usage);
            return 2;
        }

        int ioBatch = parsed.GetValue(options.IoBatch) ?? DaemonHost.DefaultIoBatch;
        if (ioBatch is < 1 or > DaemonHost.MaxIoBatch)
        {
            stderr.WriteLine($"ntpd: --io-batch must be 1 to {DaemonHost.MaxIoBatch}, not {ioBatch}");
            stderr.WriteLine(Usage);
            return 2;
        }

        int serverThreads = parsed.GetValue(options.ServerThreads) ?? 0;
        if (serverThreads is < 0 or > ServerLoopGroup.MaxLoops)
        {
            stderr.WriteLine($"ntpd: --server-threads must be 0 to {ServerLoopGroup.MaxLoops}, not {serverThreads}");
            stderr.WriteLine(Usage);
            return 2;
        }

        if (serverThreads > 0 && virtualClock is not null)
        {
            stderr.WriteLine("ntpd: --server-threads cannot be combined with --virtual-clock (the extra loops read the system clock)");
            stderr.WriteLine(Usage);
            return 2;
        }

        RunAsAccount? runAs = null;
        if (parsed.GetValue(options.User) is { } userText)
        {
            runAs = PrivilegeDrop.Resolve(userText, out string? userError);
            if (runAs is null)
            {
                stderr.WriteLine($"ntpd: {userError}");
                stderr.WriteLine(Usage);
                return 2;
            }
        }

        string? jail = parsed.GetValue(options.JailDirectory);
        if (jail is not null && !Directory.Exists(jail))
        {
            stderr.WriteLine($"ntpd: -i: no such directory '{jail}'");
            stderr.WriteLine(Usage);
            return 2;
        }

        string? explicitConfig = parsed.GetValue(options.ConfigFile);
        string configPath = explicitConfig ?? environment.DefaultConfigPath;
        ConfigParseResult config = LoadConfig(explicitConfig, configPath, out string configName);
        bool check = parsed.GetValue(options.Check);
        if (check || config.HasErrors)
        {
            // A running daemon logs the warnings instead, so they reach its logfile or syslog.
            foreach (ConfigDiagnostic diagnostic in config.Diagnostics)
            {
                stderr.WriteLine(diagnostic.ToString());
            }
        }

        if (check)
        {
            IReadOnlyList<string> inactive = config.HasErrors ? [] : InactiveConfiguration.Describe(config.Config);
            foreach (string text in inactive)
            {
                stderr.WriteLine($"{configName}: warning: {text}");
            }

            IReadOnlyList<string> ntsErrors = config.HasErrors ? [] : NtsCheck.Errors(config.Config, configName);
            foreach (string text in ntsErrors)
            {
                stderr.WriteLine(text);
            }

            int errors = config.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error) + ntsErrors.Count;
            int warnings = config.Diagnostics.Count(d => d.Severity != DiagnosticSeverity.Error) + inactive.Count;
            stdout.WriteLine(errors == 0
                ? $"{configName}: configuration OK ({warnings} warning{(warnings == 1 ? "" : "s")})"
                : $"{configName}: {errors} error{(errors == 1 ? "" : "s")}, {warnings} warning{(warnings == 1 ? "" : "s")}");
            return errors == 0 ? 0 : 1;
        }

        if (config.HasErrors)
        {
            stderr.WriteLine($"ntpd: {configName} has errors; not starting");
            return 1;
        }

        bool foreground = parsed.GetValue(options.NoFork) || parsed.GetValue(options.QuitAfterSet) || !environment.AllowDaemonize;
        if (!foreground && Environment.GetEnvironmentVariable(DaemonChildVariable) is null)
        {
            return Daemonizer.Detach(args, DaemonChildVariable, stderr);
        }

        // -f, -s and -k override driftfile, statsdir and keys from the file, as in ntpd.
        NtpConfig effective = config.Config with
        {
            DriftFile = parsed.GetValue(options.DriftFile) ?? config.Config.DriftFile,
            StatsDirectory = parsed.GetValue(options.StatsDir) ?? config.Config.StatsDirectory,
            KeysFile = parsed.GetValue(options.KeyFile) ?? config.Config.KeysFile,
        };
        var settings = new NtpdSettings(
            effective,
            configName,
            DebugLevel: parsed.GetResult(options.Debug)?.IdentifierTokenCount ?? 0,
            LogFile: parsed.GetValue(options.LogFile) ?? config.Config.LogFile,
            PidFile: parsed.GetValue(options.PidFile) ?? config.Config.PidFile,
            Foreground: foreground || Environment.GetEnvironmentVariable(DaemonChildVariable) is null,
            QuitAfterSet: parsed.GetValue(options.QuitAfterSet),
            AllowBigFirstStep: parsed.GetValue(options.AllowBigStep),
            SlewOnly: parsed.GetValue(options.SlewOnly),
            IPv4Only: parsed.GetValue(options.IPv4Only),
            IPv6Only: parsed.GetValue(options.IPv6Only),
            Interfaces: parsed.GetValue(options.Interface) ?? [],
            Port: parsed.GetValue(options.Port) ?? 123,
            VirtualClock: virtualClock,
            CommandLine: "ntpd " + string.Join(' ', args),
            ConfigWarnings: [.. config.Diagnostics.Select(d => d.ToString()), .. InactiveConfiguration.Describe(effective)],
            IoBatch: ioBatch,
            TransmitStamping: parsed.GetValue(options.TransmitStamp) switch
            {
                "interpolated" => TransmitStamping.Interpolated,
                "once" => TransmitStamping.Once,
                _ => TransmitStamping.PerDatagram,
            },
            ServerThreads: serverThreads,
            RunAs: runAs,
            JailDirectory: jail is null ? null : Path.GetFullPath(jail));
        return NtpdDaemon.Run(settings, stderr, environment);
    }

    private static ConfigParseResult LoadConfig(string? explicitConfig, string configPath, out string configName)
    {
        if (explicitConfig is null && !File.Exists(configPath))
        {
            configName = EmbeddedDefaults.FileName;
            return ConfigParser.Parse(EmbeddedDefaults.Text, EmbeddedDefaults.FileName);
        }

        configName = configPath;
        return ConfigFileLoader.Load(configPath);
    }

    /// <summary>The options, built once per run (System.CommandLine).</summary>
    private sealed class NtpdOptions
    {
        public Option<string?> ConfigFile { get; } = new("-c", "--configfile") { Description = "configuration file (default /etc/ntp.conf; the embedded default when it does not exist)" };
        public Option<bool> NoFork { get; } = new("-n", "--nofork") { Description = "do not fork" };
        public Option<bool> Debug { get; } = new("-d", "--debug-level") { Description = "more debug output (repeatable)", Arity = ArgumentArity.Zero };
        public Option<string?> LogFile { get; } = new("-l", "--logfile") { Description = "log to this file" };
        public Option<string?> PidFile { get; } = new("-p", "--pidfile") { Description = "write the process id to this file" };
        public Option<string?> DriftFile { get; } = new("-f", "--driftfile") { Description = "frequency drift file" };
        public Option<string?> StatsDir { get; } = new("-s", "--statsdir") { Description = "statistics directory" };
        public Option<string?> KeyFile { get; } = new("-k", "--keyfile") { Description = "symmetric keys file" };
        public Option<bool> AllowBigStep { get; } = new("-g", "--panicgate") { Description = "allow the first adjustment to exceed the panic threshold" };
        public Option<bool> QuitAfterSet { get; } = new("-q", "--quit") { Description = "set the time once and exit" };
        public Option<bool> SlewOnly { get; } = new("-x", "--slew") { Description = "slew only, never step (up to 600 s)" };
        public Option<bool> IPv4Only { get; } = new("-4", "--ipv4") { Description = "IPv4 only" };
        public Option<bool> IPv6Only { get; } = new("-6", "--ipv6") { Description = "IPv6 only" };
        public Option<string[]> Interface { get; } = new("-I", "--interface") { Description = "listen on this interface or address (repeatable)" };
        public Option<bool> Check { get; } = new("--check") { Description = "validate the configuration and exit (0 clean, 1 errors)" };
        public Option<string?> VirtualClock { get; } = new("--virtual-clock") { Description = "run on a private virtual clock: OFFSET seconds, PPM frequency (never touches the system clock)", Arity = ArgumentArity.ZeroOrOne };
        public Option<int?> Port { get; } = new("--port") { Description = "UDP port to serve on (default 123; for tests)" };
        public Option<bool> Version { get; } = new("--version") { Description = "print the version and exit" };
        public Option<int?> IoBatch { get; } = new("--io-batch") { Description = "datagrams per recvmmsg/sendmmsg on the server sockets (1 = no batching; default 32)" };
        public Option<string?> TransmitStamp { get; } = CreateTransmitStampOption();
        public Option<string?> User { get; } = new("-u", "--user") { Description = "after start-up run as this user (and group): user[:group], names or numbers" };
        public Option<string?> JailDirectory { get; } = new("-i", "--jaildir") { Description = "after start-up chroot to this directory (before -u takes effect)" };
        public Option<int?> ServerThreads { get; } = new("--server-threads") { Description = "extra single-threaded loops serving time on SO_REUSEPORT sockets (default 0)" };

        private static Option<string?> CreateTransmitStampOption()
        {
            // For measurements: "each" (default) sends every reply with its own sendto and a fresh stamp;
            // "interpolated" and "once" send a batch with one sendmmsg (SendBatch explains the trade).
            var option = new Option<string?>("--tx-stamp") { Description = "how a batch of replies is sent: each (default), interpolated or once", Hidden = true };
            option.AcceptOnlyFromAmong("each", "interpolated", "once");
            return option;
        }

        public RootCommand Command => _command ??= Build();

        private RootCommand? _command;

        private RootCommand Build()
        {
            var command = new RootCommand("ntpd: Network Time Protocol daemon (Stratum)")
            {
                ConfigFile, NoFork, Debug, LogFile, PidFile, DriftFile, StatsDir, KeyFile, AllowBigStep, QuitAfterSet,
                SlewOnly, IPv4Only, IPv6Only, Interface, Check, VirtualClock, Port, Version, IoBatch, TransmitStamp, ServerThreads,
                User, JailDirectory,
            };
            // Our own --version replaces System.CommandLine's built-in one, which would shadow it.
            for (int i = command.Options.Count - 1; i >= 0; i--)
            {
                if (command.Options[i] is VersionOption)
                {
                    command.Options.RemoveAt(i);
                }
            }

            return command;
        }
    }
}

/// <summary>The --virtual-clock argument: OFFSET seconds and optional PPM, both signed.</summary>
internal sealed record VirtualClockArgument(double OffsetSeconds, double FrequencyPpm)
{
    public static bool TryParse(ParseResult parsed, Option<string?> option, out VirtualClockArgument? value, out string? error)
    {
        value = null;
        error = null;
        if (parsed.GetResult(option) is null)
        {
            return true;
        }

        string text = parsed.GetValue(option) ?? "0";
        string[] parts = text.Split(',');
        if (parts.Length > 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double offset)
            || (parts.Length == 2 && !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            error = $"--virtual-clock needs OFFSET[,PPM] in seconds and parts per million, not '{text}'";
            return false;
        }

        double ppm = parts.Length == 2 ? double.Parse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture) : 0;
        if (Math.Abs(ppm) > 500)
        {
            error = $"--virtual-clock frequency {ppm} PPM exceeds the 500 PPM tolerance";
            return false;
        }

        value = new VirtualClockArgument(offset, ppm);
        return true;
    }
}
