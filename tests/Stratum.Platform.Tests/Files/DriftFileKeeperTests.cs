// DriftFileKeeper: the drift file is written atomically in ntpd's "%.3f" PPM; never under `disable ntp`
// (no keeper); a write that fails is reported once, not fatal, and logged by the daemon host, which
// writes it at exit when the Engine knows the frequency. (When it is written — hourly, only in SYNC — is
// the Engine's: HousekeepingTests.)
using System.Net;
using Microsoft.Extensions.Logging;
using Stratum.Core.Config;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.Associations;
using Stratum.Engine.Discipline;
using Stratum.Platform.Clock;
using Stratum.Platform.Files;
using Stratum.Platform.Hosting;

namespace Stratum.Platform.Tests.Files;

[System.Runtime.Versioning.SupportedOSPlatform("linux")] // file modes; the daemon is Linux-only
public sealed class DriftFileKeeperTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-driftkeeper-").FullName;

    private string DriftPath => Path.Combine(_directory, "ntp.drift");

    public void Dispose()
    {
        File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.Delete(_directory, recursive: true);
    }

    private const double Frequency = -12.34567e-6;

    [Fact]
    public void Save_WritesNtpdsFormatAtomically_AndCountsWrites()
    {
        var keeper = new DriftFileKeeper(DriftPath);
        Assert.Null(keeper.Save(Frequency));
        Assert.Equal("-12.346\n", File.ReadAllText(DriftPath));
        Assert.Equal(1, keeper.Writes);

        Assert.Null(keeper.Save(3.5e-6));
        Assert.Equal("3.500\n", File.ReadAllText(DriftPath));
        Assert.Equal(2, keeper.Writes);
        Assert.Equal([DriftPath], Directory.GetFiles(_directory)); // no temporary file left behind
    }

    [Fact]
    public void For_DisableNtpOrNoDriftfile_NoKeeper()
    {
        Assert.Null(DriftFileKeeper.For(new NtpConfig()));
        Assert.Null(DriftFileKeeper.For(new NtpConfig { DriftFile = DriftPath, System = SystemOptions.Default with { ClockDiscipline = false } }));
        Assert.NotNull(DriftFileKeeper.For(new NtpConfig { DriftFile = DriftPath }));
    }

    [Fact]
    public void WriteFails_ParentIsAFile_ReportedOnce_RecoversLater()
    {
        string blocker = Path.Combine(_directory, "not-a-directory");
        File.WriteAllText(blocker, "");
        string path = Path.Combine(blocker, "ntp.drift");
        var keeper = new DriftFileKeeper(path);

        string? error = keeper.Save(Frequency);
        Assert.Equal($"cannot write drift file {path}: Not a directory", error);
        Assert.Null(keeper.Save(Frequency)); // the same error is not repeated each hour
        Assert.Equal(0, keeper.Writes);

        // The directory appears (an administrator fixes it): the next write succeeds, and a later failure is new.
        File.Delete(blocker);
        Directory.CreateDirectory(blocker);
        Assert.Null(keeper.Save(Frequency));
        Assert.Equal("-12.346\n", File.ReadAllText(path));
        Directory.Delete(blocker, recursive: true);
        File.WriteAllText(blocker, "");
        Assert.NotNull(keeper.Save(Frequency));
    }

    [Fact]
    public void WriteFails_TemporaryFileCannotBeCreated_ReportedAndTheOldFileUntouched()
    {
        // A drift file name so long that the temporary's (".TEMP" more) passes NAME_MAX: no process,
        // root included, can create it.
        string path = Path.Combine(_directory, new string('d', 251));
        File.WriteAllText(path, "7.000\n");

        var keeper = new DriftFileKeeper(path);
        string? error = keeper.Save(Frequency);
        Assert.Equal($"cannot write drift file {path}: File name too long", error);
        Assert.Equal("7.000\n", File.ReadAllText(path)); // the old file is untouched
        Assert.Null(keeper.Save(Frequency)); // reported once
    }

    [Fact]
    public void TemporaryNameTakenByADirectory_AnotherNameUsed_ReportedOnce()
    {
        File.WriteAllText(DriftPath, "7.000\n");
        Directory.CreateDirectory(DriftPath + DriftFile.TemporarySuffix);

        var keeper = new DriftFileKeeper(DriftPath);
        string? notice = keeper.Save(Frequency);
        Assert.Equal($"drift file {DriftPath}: {DriftPath}.TEMP exists and is not a regular file of this user; left alone, another temporary name used", notice);
        Assert.Equal("-12.346\n", File.ReadAllText(DriftPath));
        Assert.True(Directory.Exists(DriftPath + DriftFile.TemporarySuffix));
        Assert.Null(keeper.Save(Frequency)); // reported once
        Assert.Equal(2, keeper.Writes);
    }

    [Fact]
    public void DaemonHost_SaveDriftFile_WritesTheDisciplinedFrequency()
    {
        NtpEngine engine = SynchronizedEngine();
        using var host = new DaemonHost(new ObserveOnlyClockDriver(), engine, new RecordingLogger()) { DriftFile = new DriftFileKeeper(DriftPath) };
        host.SaveDriftFile();
        string expected = (engine.Sources.Discipline.Frequency * 1e6).ToString("F3", System.Globalization.CultureInfo.InvariantCulture) + "\n";
        Assert.Equal(expected, File.ReadAllText(DriftPath));
    }

    [Fact]
    public void DaemonHost_SaveDriftFileFails_LoggedAsAnErrorAndNotThrown()
    {
        string blocker = Path.Combine(_directory, "not-a-directory");
        File.WriteAllText(blocker, "");
        string path = Path.Combine(blocker, "ntp.drift");
        var logger = new RecordingLogger();
        using var host = new DaemonHost(new ObserveOnlyClockDriver(), SynchronizedEngine(), logger) { DriftFile = new DriftFileKeeper(path) };

        host.SaveDriftFile();

        (LogLevel level, string message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Error, level);
        Assert.Equal($"cannot write drift file {path}: Not a directory", message);
    }

    // An engine whose discipline reached SYNC on a reference clock's polls (no clock is touched: the
    // actions are never carried out).
    private static NtpEngine SynchronizedEngine()
    {
        var shm = new RemoteAssociationSettings(new IPEndPoint(IPAddress.Parse("127.127.28.0"), 123), AssociationMode.Refclock,
            false, false, true, false, false, 4, 4, 4, "SHM(0)")
        {
            Refclock = new RefclockIdentity(0, ReferenceId.FromAscii("GPS"), 0),
        };
        var engine = new NtpEngine(new EngineConfiguration([], [], DisciplineEnabled: true, RemoteAssociations: [shm], KeepDriftFile: true), -20, new CountingRandom());
        var actions = new EngineActions();
        long mono = 5_000_000_000;
        long real = 1_795_000_000L * 1_000_000_000;
        for (int poll = 0; poll < 64 && engine.Sources.Discipline.State != DisciplineState.Synchronized; poll++)
        {
            mono += 16_000_000_000;
            real += 16_000_000_000;
            actions.Clear();
            engine.OnRefclockPoll(1, 0.000010 - (poll * 16 * 2e-6), 0.000001, LeapIndicator.NoWarning, -20,
                new LoopTime(mono, NtpTimestamp.FromUnixNanoseconds(real)), actions, 0);
        }

        Assert.Equal(DisciplineState.Synchronized, engine.Sources.Discipline.State);
        return engine;
    }

    private sealed class CountingRandom : IRandomSource
    {
        private ulong _next = 0x9E3779B97F4A7C15;

        public ulong NextUInt64() => _next += 0x9E3779B97F4A7C15;
    }

    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
