// The daemon's files are never written through a symbolic link (it runs as root): a link planted at
// the drift file's temporary name, at the drift file, at a statistics file, at the log file or the pid
// file's temporary, pointing at a victim file, leaves the victim untouched (content and mtime) and the
// refusal is reported; a stale temporary of ours is reused, another user's is not; the statistics link
// is replaced by rename, never missing while it changes. Each test works in its own temp directory.
using Stratum.Core.Config;
using Stratum.Engine;
using Stratum.Platform.Files;
using Stratum.Platform.Hosting;
using Stratum.Platform.Interop;
using Stratum.Platform.Logging;

namespace Stratum.Platform.Tests.Files;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SymbolicLinkRefusalTests : IDisposable
{
    private static readonly DateTime s_victimTime = new(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    // 2026-11-23T12:00:00.5Z, and the same time a day later.
    private const long Stamp = 1_795_435_200_500_000_000;
    private const long NextDay = Stamp + (86_400L * 1_000_000_000);

    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-nofollow-").FullName;

    public SymbolicLinkRefusalTests()
    {
        File.WriteAllText(Victim, "precious\n");
        File.SetLastWriteTimeUtc(Victim, s_victimTime);
    }

    private string Victim => Path.Combine(_directory, "victim");

    private string PathOf(string name) => Path.Combine(_directory, name);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void AssertVictimUntouched()
    {
        Assert.Equal("precious\n", File.ReadAllText(Victim));
        Assert.Equal(s_victimTime, File.GetLastWriteTimeUtc(Victim));
    }

    [Fact]
    public void DriftFile_LinkAtTheTemporaryName_NotFollowed_AnotherNameUsed_Reported()
    {
        string drift = PathOf("ntp.drift");
        File.CreateSymbolicLink(drift + DriftFile.TemporarySuffix, Victim);

        Assert.Null(DriftFile.Write(drift, 1.5, out string? notice));

        AssertVictimUntouched();
        Assert.Equal("1.500\n", File.ReadAllText(drift));
        Assert.Null(new FileInfo(drift).LinkTarget);
        Assert.Equal($"drift file {drift}: {drift}.TEMP is a symbolic link; not followed, another temporary name used", notice);
        Assert.Equal(Victim, new FileInfo(drift + DriftFile.TemporarySuffix).LinkTarget); // the planted link is left alone
        Assert.Equal(3, Directory.GetFileSystemEntries(_directory).Length); // victim, link, drift file: no temporary left
    }

    [Fact]
    public void DriftFile_DanglingLinkAtTheTemporaryName_TargetNeverCreated()
    {
        string drift = PathOf("ntp.drift");
        string target = PathOf("created-by-root");
        File.CreateSymbolicLink(drift + DriftFile.TemporarySuffix, target);

        Assert.Null(DriftFile.Write(drift, 1.5, out string? notice));

        Assert.False(File.Exists(target));
        Assert.Equal("1.500\n", File.ReadAllText(drift));
        Assert.Contains("is a symbolic link; not followed", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void DriftFile_LinkAtTheDriftFileItself_ReplacedByAFile_VictimUntouched()
    {
        string drift = PathOf("ntp.drift");
        File.CreateSymbolicLink(drift, Victim);

        Assert.Null(DriftFile.Write(drift, -2.25, out string? notice));

        Assert.Null(notice);
        AssertVictimUntouched();
        Assert.Null(new FileInfo(drift).LinkTarget);
        Assert.Equal("-2.250\n", File.ReadAllText(drift));
    }

    [Fact]
    public void DriftFile_KeeperReportsTheRefusalOnce()
    {
        string drift = PathOf("ntp.drift");
        File.CreateSymbolicLink(drift + DriftFile.TemporarySuffix, Victim);
        var keeper = new DriftFileKeeper(drift);

        string? first = keeper.Save(1e-6);
        Assert.NotNull(first);
        Assert.Contains($"{drift}.TEMP is a symbolic link", first, StringComparison.Ordinal);
        Assert.Null(keeper.Save(2e-6));
        Assert.Equal(2, keeper.Writes);
        AssertVictimUntouched();
    }

    [Fact]
    public void DriftFile_StaleTemporaryOfOurs_RemovedAndReused()
    {
        string drift = PathOf("ntp.drift");
        File.WriteAllText(drift + DriftFile.TemporarySuffix, "half a wri");

        Assert.Null(DriftFile.Write(drift, 3.0, out string? notice));

        Assert.Null(notice);
        Assert.Equal("3.000\n", File.ReadAllText(drift));
        Assert.False(File.Exists(drift + DriftFile.TemporarySuffix));
    }

    [Fact]
    public void DriftFile_TemporaryOfAnotherUser_LeftAlone()
    {
        if (FileCalls.GetEffectiveUserId() != 0)
        {
            Assert.Skip("needs root to give a file to another user");
        }

        string drift = PathOf("ntp.drift");
        string temporary = drift + DriftFile.TemporarySuffix;
        File.WriteAllText(temporary, "theirs\n");
        Assert.Equal(0, Chown(temporary, 65534, 65534));

        Assert.Null(DriftFile.Write(drift, 3.0, out string? notice));

        Assert.Equal("theirs\n", File.ReadAllText(temporary));
        Assert.Equal("3.000\n", File.ReadAllText(drift));
        Assert.Contains("is not a regular file of this user; left alone", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void DriftFile_WrittenWithMode0644()
    {
        string drift = PathOf("ntp.drift");
        File.WriteAllText(drift, "1.000\n");
        File.SetUnixFileMode(drift, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Null(DriftFile.Write(drift, 1.0));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(drift));
    }

    [Fact]
    public void CreateNew_OnALink_FailsWithoutFollowingIt()
    {
        // Why FileMode.CreateNew would also be safe: O_EXCL makes open(2) fail on any existing name,
        // a link included, whatever the link points at.
        string link = PathOf("link");
        File.CreateSymbolicLink(link, Victim);
        Assert.Throws<IOException>(() => File.OpenHandle(link, FileMode.CreateNew, FileAccess.Write).Dispose());
        string dangling = PathOf("dangling");
        File.CreateSymbolicLink(dangling, PathOf("nothing-here"));
        Assert.Throws<IOException>(() => File.OpenHandle(dangling, FileMode.CreateNew, FileAccess.Write).Dispose());
        Assert.False(File.Exists(PathOf("nothing-here")));
        AssertVictimUntouched();
    }

    [Fact]
    public void PidFile_LinkAtTheTemporaryName_NotFollowed()
    {
        string pid = PathOf("ntpd.pid");
        File.CreateSymbolicLink(pid + ".tmp", Victim);

        string? report = ProcessSession.WritePidFile(pid, 4242);

        AssertVictimUntouched();
        Assert.Equal("4242\n", File.ReadAllText(pid));
        Assert.Equal($"pid file {pid}: {pid}.tmp is a symbolic link; not followed, another temporary name used", report);
    }

    [Fact]
    public void StatisticsFile_Link_Refused_ReportedOnce_OtherFilesWritten()
    {
        File.CreateSymbolicLink(PathOf("loopstats.20261123"), Victim);
        var errors = new List<string>();
        var config = new NtpConfig { StatsDirectory = _directory, Statistics = [StatisticsKind.LoopStats, StatisticsKind.PeerStats] };
        using (StatisticsWriter writer = StatisticsWriter.For(config, 1, e => { lock (errors) { errors.Add(e); } })!)
        {
            for (int i = 0; i < 3; i++)
            {
                var actions = new EngineActions();
                actions.RecordLoop(new LoopStatsRecord(0.000012, -12.345, 0.000003, 0.0123, 6));
                actions.RecordPeer(new PeerStatsRecord("192.0.2.1", 0x9614, -0.000012, 0.000250, 0.000100, 0.000020));
                writer.Record(actions, Stamp);
            }
        }

        AssertVictimUntouched();
        string error = Assert.Single(errors);
        Assert.Equal($"statistics file {PathOf("loopstats.20261123")} is a symbolic link; not written", error);
        Assert.Equal(3, File.ReadAllLines(PathOf("peerstats.20261123")).Length);
        Assert.Equal("peerstats.20261123", new FileInfo(PathOf("peerstats")).LinkTarget);
    }

    [Fact]
    public void StatisticsFile_TypeNoneLink_Refused()
    {
        File.CreateSymbolicLink(PathOf("loopstats"), Victim);
        var errors = new List<string>();
        var config = new NtpConfig
        {
            StatsDirectory = _directory,
            Statistics = [StatisticsKind.LoopStats],
            Filegens = [new FilegenConfig(StatisticsKind.LoopStats, "loopstats", FilegenType.None, false, true, 0)],
        };
        using (StatisticsWriter writer = StatisticsWriter.For(config, 1, e => { lock (errors) { errors.Add(e); } })!)
        {
            var actions = new EngineActions();
            actions.RecordLoop(new LoopStatsRecord(0, 0, 0, 0, 6));
            writer.Record(actions, Stamp);
        }

        AssertVictimUntouched();
        Assert.Equal([$"statistics file {PathOf("loopstats")} is a symbolic link; not written"], errors);
    }

    [Fact]
    public void StatisticsLink_NewPeriod_PointsAtTheNewFile_ReplacedNotRecreated()
    {
        var config = new NtpConfig { StatsDirectory = _directory, Statistics = [StatisticsKind.LoopStats] };
        string link = PathOf("loopstats");
        ulong firstInode;
        using (StatisticsWriter writer = StatisticsWriter.For(config, 1)!)
        {
            var actions = new EngineActions();
            actions.RecordLoop(new LoopStatsRecord(0, 0, 0, 0, 6));
            writer.Record(actions, Stamp);
            writer.Record(actions, NextDay);
        }

        Assert.Equal("loopstats.20261124", new FileInfo(link).LinkTarget);
        Assert.True(FileStatusCall.TryGet(link, out FileStatus status));
        firstInode = status.Inode;
        Assert.Null(NoFollowFile.ReplaceSymbolicLink(link, "loopstats.20261123"));
        Assert.True(FileStatusCall.TryGet(link, out status));
        Assert.NotEqual(firstInode, status.Inode); // a new link renamed over the old one
        Assert.Equal("loopstats.20261123", new FileInfo(link).LinkTarget);
        Assert.Equal(["loopstats", "loopstats.20261123", "loopstats.20261124", "victim"],
            Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void StatisticsLink_NeverMissingWhileReplaced()
    {
        string link = PathOf("loopstats");
        File.CreateSymbolicLink(link, "loopstats.0");
        int missing = 0;
        int looks = 0;
        using var stop = new ManualResetEventSlim();
        var watcher = new Thread(() =>
        {
            for (int i = 0; i < 2_000_000 && !stop.IsSet; i++)
            {
                looks++;
                if (!FileStatusCall.TryGet(link, out FileStatus status) || !status.IsSymbolicLink)
                {
                    missing++;
                }
            }
        });
        watcher.Start();
        for (int i = 1; i <= 500; i++)
        {
            Assert.Null(NoFollowFile.ReplaceSymbolicLink(link, $"loopstats.{i}"));
        }

        stop.Set();
        Assert.True(watcher.Join(TimeSpan.FromSeconds(30)));
        Assert.True(looks > 0);
        Assert.Equal(0, missing);
        Assert.Equal("loopstats.500", new FileInfo(link).LinkTarget);
        Assert.Equal(2, Directory.GetFileSystemEntries(_directory).Length); // victim and the link: no temporary left
    }

    [Fact]
    public void StatisticsLink_NameHeldByARegularFile_LeftAlone_Reported()
    {
        string link = PathOf("loopstats");
        File.WriteAllText(link, "someone's notes\n");

        Assert.Equal($"{link} exists and is not a symbolic link; link not updated", NoFollowFile.ReplaceSymbolicLink(link, "loopstats.1"));
        Assert.Equal("someone's notes\n", File.ReadAllText(link));
    }

    [Fact]
    public void LogFile_Link_Refused_VictimUntouched()
    {
        string log = PathOf("ntpd.log");
        File.CreateSymbolicLink(log, Victim);

        StreamLogTarget? target = StreamLogTarget.OpenFile(log, out FileOpenError reason, out string? error);

        Assert.Null(target);
        Assert.Equal(FileOpenError.SymbolicLink, reason);
        Assert.Equal($"log file {log} is a symbolic link; not written", error);
        AssertVictimUntouched();
    }

    [Fact]
    public void LogFile_Regular_Appended()
    {
        string log = PathOf("ntpd.log");
        File.WriteAllText(log, "old line\n");
        using (StreamLogTarget target = StreamLogTarget.OpenFile(log, out FileOpenError reason, out string? error)!)
        {
            Assert.Equal(FileOpenError.None, reason);
            Assert.Null(error);
            target.Write(new LogEntry(Stamp, Microsoft.Extensions.Logging.LogLevel.Information, "new line"), "ntpd", 7);
        }

        string[] lines = File.ReadAllLines(log);
        Assert.Equal("old line", lines[0]);
        Assert.EndsWith("ntpd[7]: new line", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void LogFile_MissingDirectory_SystemError()
    {
        string log = PathOf("missing/ntpd.log");
        Assert.Null(StreamLogTarget.OpenFile(log, out FileOpenError reason, out string? error));
        Assert.Equal(FileOpenError.System, reason);
        Assert.Equal($"cannot open log file {log}: No such file or directory", error);
    }

    private static int Chown(string path, int owner, int group)
    {
        using var process = System.Diagnostics.Process.Start("chown", [$"{owner}:{group}", path]);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
        return process.ExitCode;
    }
}
