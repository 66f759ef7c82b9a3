// NtpdDaemon: one run of the daemon after the command line and config are accepted: log sinks,
// clock driver (`disable ntp` → observe-only, --virtual-clock → virtual, else the Linux clock),
// precision, Engine, listen sockets, pid file, the event loop, and an orderly exit.
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Stratum.Core.Config;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.Associations;
using Stratum.Engine.Discipline;
using Stratum.Engine.Selection;
using Stratum.Platform.Clock;
using Stratum.Platform.Files;
using Stratum.Platform.Hosting;
using Stratum.Platform.Logging;
using Stratum.Platform.Loop;
using Stratum.Platform.Net;

namespace Stratum.Tools.Ntpd;

internal static class NtpdDaemon
{
    public static int Run(NtpdSettings settings, TextWriter stderr, NtpdEnvironment environment)
    {
        if (!settings.Foreground)
        {
            ProcessSession.Detach();
        }

        var targets = new List<LogTarget>();
        string? logFileRefused = null;
        StreamLogTarget? file = null;
        if (settings.LogFile is not null)
        {
            file = StreamLogTarget.OpenFile(settings.LogFile, out FileOpenError reason, out string? error);
            if (file is null && reason != FileOpenError.SymbolicLink)
            {
                stderr.WriteLine($"ntpd: {error}");
                return 1;
            }

            // A symbolic link at the log file's name is refused, never followed; the daemon logs where
            // it would without a log file, and says so there.
            logFileRefused = error;
        }

        if (file is not null)
        {
            targets.Add(file);
        }
        else if (settings.Foreground)
        {
            // Under systemd stderr is the journal, which stamps each line itself.
            targets.Add(JournalStreamLogTarget.IsStandardErrorTheJournal(Environment.GetEnvironmentVariable("JOURNAL_STREAM"))
                ? new JournalStreamLogTarget(stderr)
                : new StreamLogTarget(stderr, ownsWriter: false));
        }
        else
        {
            targets.Add(new SyslogTarget());
        }

        EventLoop? loop = null;
        using var writer = new LogWriter(targets, "ntpd", environment.ProcessId);
        using var loggerProvider = new DaemonLoggerProvider(writer, () => loop?.LastRealtime ?? 0, settings.DebugLevel > 0 ? LogLevel.Debug : LogLevel.Information);
        ILogger logger = loggerProvider.CreateLogger("ntpd");
        if (logFileRefused is not null)
        {
            DaemonLog.LogFileRefused(logger, logFileRefused);
        }

        return RunLogged(settings, environment, logger, created => loop = created);
    }

    private static int RunLogged(NtpdSettings settings, NtpdEnvironment environment, ILogger logger, Action<EventLoop> loopCreated)
    {
        NtpConfig config = settings.Config;
        // The loop's stamp is not running yet: log start-up lines with a direct reading. "Starting"
        // and the command line come first, as in ntpd; the clock choice is logged after them.
        DaemonLog.Starting(logger, NtpdCli.VersionText);
        DaemonLog.CommandLine(logger, settings.CommandLine);
        foreach (string warning in settings.ConfigWarnings)
        {
            DaemonLog.ConfigWarning(logger, warning);
        }

        IClockDriver clock = ChooseClock(settings, config, logger);

        (sbyte precision, double step) = PrecisionProbe.Measure(clock);
        DaemonLog.Precision(logger, (step * 1e6).ToString("0.000", CultureInfo.InvariantCulture), precision);

        // `tinker freq PPM` gives the initial frequency and takes the drift file's place (ntpd's LOOP_FREQ).
        double? driftFrequency = config.Tinker.Frequency ?? ReadDriftFile(settings, logger);
        if (config.Tinker.Frequency is double tinkered)
        {
            DaemonLog.Info(logger, string.Create(CultureInfo.InvariantCulture, $"initial drift set to {tinkered * 1e6:F6} by tinker freq"));
        }
        var engine = new NtpEngine(Translate(config, settings, driftFrequency) with { Keys = LoadKeys(config, logger) }, precision, new CryptoRandomSource());
        engine.Control.Identity = HostIdentity.Current();
        ControlSetup.Apply(config, engine.Control.Host);
        if (engine.Server.Access?.Settings.QueriesFromLoopbackOnly == true)
        {
            DaemonLog.QueriesLoopbackOnly(logger);
        }

        // A virtual clock has no kernel discipline; the real one's state is read, never written.
        engine.Control.Host.ReadKernelLoop = settings.VirtualClock is null ? environment.ReadKernelLoop : null;
        engine.Sources.LeapTable = LoadLeapFile(config, clock, logger);
        using var host = new DaemonHost(clock, engine, logger, settings.IoBatch)
        {
            Resolver = new Stratum.Platform.Net.HostResolver(environment.Resolve),
            KernelDiscipline = config.System.KernelDiscipline,
            Statistics = StatisticsWriter.For(config, environment.ProcessId, error => DaemonLog.StatisticsFileError(logger, error)),
            DriftFile = DriftFileKeeper.For(config),
        };
        host.ServerThreads = settings.ServerThreads;
        engine.Control.Configurator = new RuntimeConfigurator(engine, logger);
        if (OpenRefclocks(config, engine, clock, logger) is { } refclocks)
        {
            host.Refclocks = refclocks;
        }

        if (host.SendBatch is { } replies)
        {
            replies.Stamping = settings.TransmitStamping;
        }

        if (!host.Bind(PlanListen(settings, config)))
        {
            DaemonLog.NoListenAddress(logger);
            return 1;
        }

        // multicastclient and manycastserver groups, and the broadcast addresses a broadcast client listens on.
        host.BindGroups([.. config.MulticastClientGroups, .. config.ManycastServerGroups.Except(config.MulticastClientGroups)],
            config.System.BroadcastClient, settings.Port);

        if (settings.PidFile is not null && ProcessSession.WritePidFile(settings.PidFile, environment.ProcessId) is string pidError)
        {
            DaemonLog.PidFileError(logger, pidError);
        }

        // systemd (Type=notify): connected before root and the file system are given up.
        using SystemdNotifier? notifier = SystemdNotifier.FromEnvironment(Environment.GetEnvironmentVariable, environment.ProcessId);
        host.Notifier = notifier;
        if ((settings.RunAs is not null || settings.JailDirectory is not null) && !GiveUpRoot(settings, clock, logger))
        {
            return 1;
        }

        // Not disposed: the handlers stay until the process exits. `timeout` and init systems may send
        // SIGTERM twice (to the process and to its group); a second one arriving after the loop stopped
        // would otherwise meet the runtime's default action and end the process with status 143.
        ShutdownSignals signals = environment.RegisterSignals();
        environment.OnRunning?.Invoke(host, signals);
        if (settings.QuitAfterSet)
        {
            host.Synchronized += () => signals.RequestStop(-1);
        }

        if (notifier is not null)
        {
            host.Synchronized += () => notifier.Status(string.Create(CultureInfo.InvariantCulture,
                $"synchronized to {engine.System.SystemPeerName}; serving stratum {engine.System.Stratum}"));
            notifier.Ready("serving; no system peer yet");
        }

        int signal;
        try
        {
            signal = host.Run(signals, loopCreated);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            DaemonLog.Fatal(logger, e, "event loop");
            return 1;
        }
        finally
        {
            notifier?.Stopping();
            host.SaveDriftFile();
            if (settings.PidFile is not null)
            {
                ProcessSession.RemovePidFile(settings.PidFile);
            }
        }

        if (host.FatalError is not null)
        {
            DaemonLog.Info(logger, "ntpd exiting on a fatal error");
            return 1;
        }

        if (signal > 0)
        {
            DaemonLog.Exiting(logger, signal, signal switch { 2 => "Interrupt", 3 => "Quit", _ => "Terminated" });
        }
        else
        {
            DaemonLog.Info(logger, "ntpd: time set once (-q); exiting");
        }

        return 0;
    }

    /// <summary>-i and -u, once every socket is bound and every file opened: chroot, become the account,
    /// keep CAP_SYS_TIME only for a clock we discipline; then say which files the account cannot write.</summary>
    private static bool GiveUpRoot(NtpdSettings settings, IClockDriver clock, ILogger logger)
    {
        bool disciplines = clock is LinuxClockDriver;
        RunAsAccount account = settings.RunAs ?? new RunAsAccount("root", "root", 0, 0);
        PrivilegeDropOutcome outcome;
        try
        {
            outcome = PrivilegeDrop.Drop(account, settings.JailDirectory, disciplines);
        }
        catch (PrivilegeDropException e)
        {
            DaemonLog.PrivilegeDropFailed(logger, e.Message);
            return false;
        }

        if (settings.JailDirectory is not null)
        {
            DaemonLog.Chrooted(logger, settings.JailDirectory);
        }

        string user = account.UserName ?? account.UserId.ToString(CultureInfo.InvariantCulture);
        DaemonLog.PrivilegesDropped(logger, user, account.UserId, account.GroupId,
            outcome.KeptCapabilities.Count == 0 ? "none" : string.Join(' ', outcome.KeptCapabilities));
        foreach (string missing in outcome.MissingCapabilities)
        {
            DaemonLog.CapabilityMissing(logger, missing, "the clock cannot be adjusted");
        }

        NtpConfig config = settings.Config;
        if (config.DriftFile is { } drift && Path.GetDirectoryName(Path.GetFullPath(drift)) is { } driftDirectory
            && !PrivilegeDrop.IsWritable(driftDirectory))
        {
            DaemonLog.NotWritable(logger, "drift file directory", driftDirectory, user, "the drift file will not be saved");
        }

        if (config.StatsDirectory is { } stats && config.Statistics.Count > 0 && !PrivilegeDrop.IsWritable(stats))
        {
            DaemonLog.NotWritable(logger, "statistics directory", stats, user, "new statistics files cannot be created");
        }

        if (settings.LogFile is { } log && !PrivilegeDrop.IsWritable(log))
        {
            DaemonLog.NotWritable(logger, "log file", log, user, "it stays open, but cannot be reopened");
        }

        return true;
    }

    private static IClockDriver ChooseClock(NtpdSettings settings, NtpConfig config, ILogger logger)
    {
        if (settings.VirtualClock is { } virtualClock)
        {
            DaemonLog.VirtualClock(logger, virtualClock.OffsetSeconds, virtualClock.FrequencyPpm);
            return new VirtualClockDriver(virtualClock.OffsetSeconds, virtualClock.FrequencyPpm * 1e-6);
        }

        if (!config.System.ClockDiscipline)
        {
            DaemonLog.ObserveOnly(logger);
            // fudge 127.127.1.0 time1 S: the local clock driver's time is the system clock + S. Observe-only,
            // the daemon serves that time from a private clock over the real one (which is never touched).
            double time1 = 0;
            foreach (RefClockConfig refclock in config.RefClocks)
            {
                if (refclock.IsLocalClock && refclock.Time1 != 0)
                {
                    time1 = refclock.Time1;
                }
            }

            if (time1 != 0)
            {
                DaemonLog.Info(logger, string.Create(CultureInfo.InvariantCulture,
                    $"local clock fudge time1 {time1:+0.000000;-0.000000}: serving the system clock shifted by that much"));
                return new VirtualClockDriver(time1, 0);
            }

            return new ObserveOnlyClockDriver();
        }

        return new LinuxClockDriver();
    }

    // The drift file's frequency (s/s), applied at once; a missing file is normal, a corrupt one is reported
    // and ignored (never fatal), as in ntpd.
    private static double? ReadDriftFile(NtpdSettings settings, ILogger logger)
    {
        if (settings.Config.DriftFile is not { } path || !settings.Config.System.ClockDiscipline)
        {
            return null;
        }

        if (DriftFile.TryRead(path, out double ppm, out string? error))
        {
            DaemonLog.Info(logger, string.Create(CultureInfo.InvariantCulture, $"initial drift restored to {ppm:F6}"));
            return ppm * 1e-6;
        }

        if (error is not null)
        {
            DaemonLog.ConfigWarning(logger, error);
        }

        return null;
    }

    // `fudge 127.127.22.u flag3 1`: the pulses go to the kernel's hardpps, which then disciplines the clock's phase
    // and frequency itself (ntpd's kernel PPS discipline); only where the daemon disciplines the real clock.
    private static void EnableKernelPps(Stratum.Platform.Refclock.PpsRefclock pps, IClockDriver clock, NtpConfig config, ILogger logger)
    {
        if (clock is not LinuxClockDriver linux || !config.System.ClockDiscipline || !config.System.KernelDiscipline)
        {
            DaemonLog.ConfigWarning(logger, $"PPS({pps.Unit}): fudge flag3 (the kernel PPS discipline) is not used: this daemon does not discipline the system clock through the kernel (disable ntp, disable kernel or a virtual clock)");
            return;
        }

        if (pps.BindKernel() is string error)
        {
            DaemonLog.ConfigWarning(logger, error + "; the pulses go through selection only");
            return;
        }

        linux.KernelPps = true;
        DaemonLog.Info(logger, $"PPS({pps.Unit}): kernel PPS discipline enabled (hardpps): the kernel takes phase and frequency from the pulses");
    }

    // leapfile: the NIST/IERS leap-seconds.list, hash checked; an expired or unhashed file is used with a
    // warning, a corrupt one is reported and ignored (never fatal), as ntpd does.
    /// <summary>Opens the driver of every reference clock association (SHM: attaches the segment; NMEA: opens
    /// /dev/gpsU); a unit that cannot be opened is logged and its association stays unreachable.</summary>
    private static Stratum.Platform.Refclock.RefclockDrivers? OpenRefclocks(NtpConfig config, NtpEngine engine, IClockDriver clock, ILogger logger)
    {
        var drivers = new Stratum.Platform.Refclock.RefclockDrivers();
        foreach (Stratum.Engine.Associations.RemoteSource source in engine.Sources.Sources)
        {
            if (!source.Association.IsRefclock)
            {
                continue;
            }

            byte[] address = source.Association.Settings.Address.Address.GetAddressBytes();
            byte type = address[2];
            byte unit = address[3];
            RefClockConfig? configured = config.RefClocks.FirstOrDefault(c => c.DriverType == type && c.Unit == unit);
            string? error;
            Stratum.Platform.Refclock.IReferenceClockDriver? driver = type switch
            {
                RefClockConfig.NmeaDriverType => Stratum.Platform.Refclock.NmeaRefclock.Open(unit, Stratum.Platform.Refclock.NmeaRefclock.DevicePath(unit),
                    configured?.Mode ?? 0, configured?.Time2 ?? 0, clock, out error),
                RefClockConfig.PpsDriverType => Stratum.Platform.Refclock.PpsRefclock.Open(unit, Stratum.Platform.Refclock.PpsRefclock.DevicePath(unit),
                    configured?.Flag2 ?? false, out error),
                _ => Stratum.Platform.Refclock.SharedMemoryRefclock.Open(unit, configured?.Flag1 ?? false, out error),
            };
            // `fudge … flag3 1` on the unit, or `enable pps` for every PPS unit (ntpd's pps_enable).
            if (type == RefClockConfig.PpsDriverType && (configured?.Flag3 == true || config.System.Pps) && driver is Stratum.Platform.Refclock.PpsRefclock pps)
            {
                EnableKernelPps(pps, clock, config, logger);
            }

            if (driver is not null)
            {
                drivers.Add(source.Id, driver);
            }
            else
            {
                DaemonLog.RefclockUnavailable(logger, error ?? $"{source.Association.Settings.DisplayName}: cannot open");
            }
        }

        return drivers.Count > 0 ? drivers : null;
    }

    /// <summary>The keys file and `trustedkey` as the engine's key ring. A file that cannot be read or
    /// has errors leaves no keys (every MAC then fails: requests get a crypto-NAK, `key N` associations
    /// never authenticate), as ntpd keeps no keys from a bad file; each problem is logged.</summary>
    private static Stratum.Engine.Access.KeyRing? LoadKeys(NtpConfig config, ILogger logger)
    {
        if (config.KeysFile is not { } path)
        {
            if (config.TrustedKeys.Count > 0)
            {
                DaemonLog.ConfigWarning(logger, "trustedkey: no keys file ('keys' directive); no key can be used");
            }

            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DaemonLog.ConfigWarning(logger, $"keys file ('{path}'): cannot read: {e.Message}; no keys loaded");
            return null;
        }

        Stratum.Core.Auth.KeyFileParseResult result = Stratum.Core.Auth.KeyFileParser.Parse(text, path);
        foreach (ConfigDiagnostic diagnostic in result.Diagnostics)
        {
            DaemonLog.ConfigWarning(logger, diagnostic.ToString());
        }

        if (result.HasErrors)
        {
            DaemonLog.ConfigWarning(logger, $"keys file ('{path}'): errors; no keys loaded");
            return null;
        }

        var ring = new Stratum.Engine.Access.KeyRing(result.Keys, config.TrustedKeys);
        foreach (uint trusted in config.TrustedKeys)
        {
            if (!result.Keys.TryGetKey(trusted, out _))
            {
                DaemonLog.ConfigWarning(logger, $"trustedkey {trusted}: not in keys file ('{path}')");
            }
        }

        DaemonLog.Info(logger, string.Create(CultureInfo.InvariantCulture, $"keys file ('{path}'): {ring.Count} keys, {ring.TrustedCount} trusted"));
        return ring;
    }

    private static Stratum.Core.Leap.LeapSecondTable? LoadLeapFile(NtpConfig config, IClockDriver clock, ILogger logger)
    {
        if (config.LeapFile is not { } path)
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DaemonLog.ConfigWarning(logger, $"leapsecond file ('{path}'): cannot read: {e.Message}; ignored");
            return null;
        }

        NtpTimestamp now = NtpTimestamp.FromUnixNanoseconds(clock.ReadRealtimeNanoseconds());
        if (!config.LeapFileCheckHash)
        {
            // `leapfile FILE ignorehash`: the file is used without checking its #h line.
            text = string.Join('\n', text.Split('\n').Where(static line => !line.StartsWith("#h", StringComparison.Ordinal)));
        }

        Stratum.Core.Leap.LeapSecondsParseResult result = Stratum.Core.Leap.LeapSecondsParser.Parse(text, path, now);
        foreach (ConfigDiagnostic diagnostic in result.Diagnostics)
        {
            DaemonLog.ConfigWarning(logger, diagnostic.ToString());
        }

        if (result.HasErrors || result.Table is not { } table)
        {
            DaemonLog.ConfigWarning(logger, $"leapsecond file ('{path}'): not loaded");
            return null;
        }

        DateTime epoch = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        DaemonLog.Info(logger, string.Create(CultureInfo.InvariantCulture,
            $"leapsecond file ('{path}'): {(table.IsHashVerified ? "good hash signature" : "no hash signature")}, loaded, expire={epoch.AddSeconds(table.Expiry):yyyy-MM-ddTHH:mm:ssZ} ofs={table.TaiOffsetAt(now)}"));
        if (table.IsExpiredAt(now))
        {
            DaemonLog.ConfigWarning(logger, $"leapsecond file ('{path}'): expired; leap seconds after its expiry are unknown");
        }

        return table;
    }

    // server/pool lines with a host name: resolved by the daemon at run time (NameMobilizer).
    private static List<PendingAssociation> PendingNames(NtpConfig config)
    {
        var pending = new List<PendingAssociation>();
        foreach (AssociationConfig association in config.Associations)
        {
            if (InactiveConfiguration.IsMobilized(association, out _))
            {
                continue;
            }

            pending.Add(PendingLine(association));
        }

        return pending;
    }

    /// <summary>A `server NAME` or `pool NAME` line as the resolver takes it.</summary>
    internal static PendingAssociation PendingLine(AssociationConfig association)
    {
        System.Net.Sockets.AddressFamily family = association.Family switch
        {
            AddressFamilyHint.IPv4 => System.Net.Sockets.AddressFamily.InterNetwork,
            AddressFamilyHint.IPv6 => System.Net.Sockets.AddressFamily.InterNetworkV6,
            _ => System.Net.Sockets.AddressFamily.Unspecified,
        };
        return new PendingAssociation(association.Address, association.Kind == AssociationKind.Pool, AssociationSettings(association, IPAddress.None), family);
    }

    /// <summary>The Engine's settings for a server, pool or peer line whose address is <paramref name="address"/>.</summary>
    internal static RemoteAssociationSettings AssociationSettings(AssociationConfig association, IPAddress address) =>
        new(new IPEndPoint(address, 123),
            association.Kind switch
            {
                AssociationKind.Peer => AssociationMode.SymmetricActive,
                AssociationKind.Broadcast => AssociationMode.Broadcast,
                _ => AssociationMode.Client,
            },
            association.Iburst, association.Burst, association.Prefer, association.NoSelect, association.True,
            association.MinPoll, association.MaxPoll, association.Version, association.Address)
        {
            KeyId = association.KeyId,
            Xleave = association.Xleave,
            Ttl = association.Ttl,
            IsManycastSolicitor = association.Kind == AssociationKind.ManycastClient,
        };

    // broadcastclient/multicastclient/enable bclient, manycastserver, auth, broadcastdelay and the tos words.
    private static CastSettings CastingFrom(NtpConfig config) => new()
    {
        BroadcastClient = config.System.BroadcastClient,
        ManycastServer = config.ManycastServerGroups.Count > 0,
        Authenticate = config.System.Authentication,
        BroadcastDelay = config.BroadcastDelay,
        BackstepPolls = config.Tos.BroadcastPollBackoffStep ?? 0,
        MinClock = config.Tos.MinClock ?? TosOptions.DefaultMinClock,
        MaxClock = config.Tos.MaxClock ?? TosOptions.DefaultMaxClock,
        UnpeerDigestEarly = config.System.UnpeerDigestEarly,
        UnpeerCryptoNakEarly = config.System.UnpeerCryptoNakEarly,
    };

    /// <summary>The Engine's view of the config and command line.</summary>
    internal static EngineConfiguration Translate(NtpConfig config, NtpdSettings? settings = null, double? driftFrequency = null)
    {
        var locals = new List<LocalClockSettings>();
        var unsupported = new List<string>();
        foreach (RefClockConfig refclock in config.RefClocks)
        {
            if (!refclock.IsLocalClock)
            {
                continue;
            }

            ReferenceId refid = refclock.RefId is { Length: > 0 } text ? ReferenceId.FromAscii(text) : LocalClockSettings.DefaultReferenceId;
            locals.Add(new LocalClockSettings(refclock.Unit, refclock.Stratum ?? LocalClockSettings.DefaultStratum, refclock.Time1, refid, refclock.Prefer));
        }

        // server/peer lines with an address literal are mobilized; names and pools wait for the
        // resolver wiring and are named by InactiveConfiguration among the config warnings.
        var remotes = new List<RemoteAssociationSettings>();
        foreach (RefClockConfig refclock in config.RefClocks)
        {
            if (refclock.DriverType is RefClockConfig.SharedMemoryDriverType or RefClockConfig.NmeaDriverType or RefClockConfig.PpsDriverType)
            {
                // SHM(u), GPS_NMEA(u), PPS(u): fudge stratum (default 0) and refid (default SHM, GPS, PPS), time1
                // added to their samples (NMEA's time2 is the driver's own).
                (string driverName, string defaultRefid) = refclock.DriverType switch
                {
                    RefClockConfig.NmeaDriverType => ("GPS_NMEA", "GPS"),
                    RefClockConfig.PpsDriverType => ("PPS", "PPS"),
                    _ => ("SHM", "SHM"),
                };
                ReferenceId clockRefid = ReferenceId.FromAscii(refclock.RefId is { Length: > 0 } name ? name : defaultRefid);
                remotes.Add(new RemoteAssociationSettings(new IPEndPoint(IPAddress.Parse(refclock.Address), 123), AssociationMode.Refclock,
                    false, false, refclock.Prefer, refclock.NoSelect, refclock.True, refclock.MinPoll, refclock.MaxPoll, 4,
                    string.Create(CultureInfo.InvariantCulture, $"{driverName}({refclock.Unit})"))
                {
                    Refclock = new RefclockIdentity(refclock.Stratum ?? 0, clockRefid, refclock.Time1)
                    {
                        IsPps = refclock.DriverType == RefClockConfig.PpsDriverType,
                    },
                });
            }
        }

        foreach (AssociationConfig association in config.Associations)
        {
            if (InactiveConfiguration.IsMobilized(association, out IPAddress? address))
            {
                remotes.Add(AssociationSettings(association, address!));
            }
        }

        return new EngineConfiguration(locals, unsupported, config.System.ClockDiscipline, remotes,
            Stratum.Engine.Access.AccessSettings.From(config.Restrictions, config.Discard, config.Mru, config.System.Monitoring),
            DisciplineFrom(config.Tinker, settings), SelectionFrom(config.Tos), driftFrequency,
            config.Tos.OrphanStratum is int orphan ? new OrphanSettings((byte)orphan, config.Tos.OrphanWait ?? OrphanSettings.DefaultWaitSeconds) : null)
        {
            ControlKey = config.ControlKey,
            PendingNames = PendingNames(config),
            MaxClock = config.Tos.MaxClock ?? TosOptions.DefaultMaxClock,
            // As DriftFileKeeper.For and StatisticsWriter.For decide what the host writes.
            KeepDriftFile = config.DriftFile is not null && config.System.ClockDiscipline,
            WriteSysStats = config.System.Statistics && config.IsStatisticsEnabled(StatisticsKind.SysStats),
            LeapSmearInterval = config.LeapSmearInterval ?? 0,
            Casting = CastingFrom(config),
            CalibrateRefclocks = config.System.Calibrate,
        };
    }

    // tinker step/stepout/panic and -g/-x; ntpd's defaults for what is not given. `tinker step 0` and
    // `tinker panic 0` disable stepping and the panic check, as in ntpd.
    private static DisciplineParameters DisciplineFrom(TinkerOptions tinker, NtpdSettings? settings)
    {
        DisciplineParameters defaults = DisciplineParameters.Default;
        return defaults with
        {
            StepThreshold = tinker.StepThreshold ?? defaults.StepThreshold,
            StepoutSeconds = tinker.StepOutInterval ?? defaults.StepoutSeconds,
            PanicThreshold = tinker.PanicThreshold ?? defaults.PanicThreshold,
            AllowFirstPanicStep = settings?.AllowBigFirstStep ?? false,
            SlewOnly = settings?.SlewOnly ?? false,
            StepBackThreshold = tinker.StepBackThreshold,
            StepForwardThreshold = tinker.StepForwardThreshold,
        };
    }

    private static SelectionParameters SelectionFrom(TosOptions tos)
    {
        SelectionParameters defaults = SelectionParameters.Default;
        return new SelectionParameters(
            tos.MinSane ?? defaults.MinSane,
            tos.MinClock ?? defaults.MinClock,
            tos.MaxClock ?? defaults.MaxClock,
            tos.MaxDistance ?? defaults.MaxDistance,
            tos.MinDistance ?? defaults.MinDistance)
        {
            OrphanStratum = tos.OrphanStratum ?? defaults.OrphanStratum,
        };
    }

    private static IReadOnlyList<ListenEndpoint> PlanListen(NtpdSettings settings, NtpConfig config)
    {
        var explicitAddresses = new List<IPAddress>();
        foreach (InterfaceRule rule in config.InterfaceRules)
        {
            if (rule.Action == InterfaceAction.Listen && rule.Match == InterfaceMatch.Address && rule.Address is not null && rule.PrefixLength is null)
            {
                explicitAddresses.Add(rule.Address);
            }
        }

        Func<IPAddress, string, bool, bool> listens = (address, name, wildcard) =>
            config.InterfaceRules.Evaluate(address, wildcard ? "" : name, wildcard) == InterfaceAction.Listen;
        if (settings.Interfaces.Count > 0)
        {
            // -I: listen only on the named interfaces or addresses.
            var named = new HashSet<string>(settings.Interfaces, StringComparer.Ordinal);
            foreach (string item in settings.Interfaces)
            {
                if (IPAddress.TryParse(item, out IPAddress? address))
                {
                    explicitAddresses.Add(address);
                }
            }

            listens = (address, name, wildcard) => !wildcard && (named.Contains(name) || named.Contains(address.ToString()));
        }

        return ListenPlanner.Plan(ListenPlanner.HostAddresses(), explicitAddresses, listens, !settings.IPv6Only, !settings.IPv4Only, settings.Port);
    }
}
