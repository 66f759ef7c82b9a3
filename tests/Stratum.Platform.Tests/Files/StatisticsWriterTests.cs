// StatisticsWriter: loopstats and peerstats lines reach the current filegen file (type day) in ntpd's
// format, the link names the current file, `disable stats` and unnamed kinds write nothing.
using Stratum.Core.Config;
using Stratum.Engine;
using Stratum.Platform.Files;

namespace Stratum.Platform.Tests.Files;

public sealed class StatisticsWriterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-stats-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // 2026-11-23T12:00:00.5Z: MJD 61367, 43200.500 s.
    private const long Stamp = 1_795_435_200_500_000_000;

    [Fact]
    public void LoopAndPeerStats_WrittenToTheDaysFileWithALink()
    {
        var config = new NtpConfig { StatsDirectory = _directory, Statistics = [StatisticsKind.LoopStats, StatisticsKind.PeerStats] };
        using (StatisticsWriter writer = StatisticsWriter.For(config, 4242)!)
        {
            var actions = new EngineActions();
            actions.RecordLoop(new LoopStatsRecord(0.000012, -12.345, 0.000003, 0.0123, 6));
            actions.RecordPeer(new PeerStatsRecord("192.0.2.1", 0x9614, -0.000012, 0.000250, 0.000100, 0.000020));
            writer.Record(actions, Stamp);
        }

        Assert.Equal("61367 43200.500 0.000012000 -12.345 0.000003000 0.012300 6\n",
            File.ReadAllText(Path.Combine(_directory, "loopstats.20261123")));
        Assert.Equal("61367 43200.500 192.0.2.1 9614 -0.000012000 0.000250000 0.000100000 0.000020000\n",
            File.ReadAllText(Path.Combine(_directory, "peerstats.20261123")));
        Assert.Equal("loopstats.20261123", new FileInfo(Path.Combine(_directory, "loopstats")).LinkTarget);
    }

    [Fact]
    public void NothingEnabled_OrDisableStats_NoWriter()
    {
        Assert.Null(StatisticsWriter.For(new NtpConfig { StatsDirectory = _directory }, 1));
        var disabled = new NtpConfig
        {
            StatsDirectory = _directory,
            Statistics = [StatisticsKind.LoopStats],
            System = SystemOptions.Default with { Statistics = false },
        };
        Assert.Null(StatisticsWriter.For(disabled, 1));
    }

    [Fact]
    public void UnwritableDirectory_ReportedOnceNotFatal()
    {
        var errors = new List<string>();
        var config = new NtpConfig { StatsDirectory = Path.Combine(_directory, "missing"), Statistics = [StatisticsKind.LoopStats] };
        using (StatisticsWriter writer = StatisticsWriter.For(config, 1, e => { lock (errors) { errors.Add(e); } })!)
        {
            var actions = new EngineActions();
            actions.RecordLoop(new LoopStatsRecord(0, 0, 0, 0, 6));
            writer.Record(actions, Stamp);
            writer.Record(actions, Stamp);
        }

        string error = Assert.Single(errors);
        Assert.StartsWith("statistics file for loopstats in ", error, StringComparison.Ordinal);
    }
}
