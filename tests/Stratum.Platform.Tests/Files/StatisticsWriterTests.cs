// StatisticsWriter: loopstats, peerstats, rawstats, sysstats and protostats lines reach the current filegen file
// (type day) in ntpd's format, the link names the current file, `disable stats` and unnamed kinds
// write nothing.
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
    public void ProtoStats_OneLinePerEvent_InNtpdsFormat_UnderItsFilegen()
    {
        var config = new NtpConfig
        {
            StatsDirectory = _directory,
            Statistics = [StatisticsKind.ProtoStats],
            Filegens = [new FilegenConfig(StatisticsKind.ProtoStats, "protostats", FilegenType.Day, true, true, 0)],
        };
        using (StatisticsWriter writer = StatisticsWriter.For(config, 4242)!)
        {
            Assert.True(writer.Writes(StatisticsKind.ProtoStats));
            var actions = new EngineActions();
            actions.RecordProto(new ProtoStatsRecord("0.0.0.0", 0xc016, 0x06, "restart"));
            actions.RecordProto(new ProtoStatsRecord("192.0.2.1", 0x9024, 0x84, "reachable"));
            actions.RecordProto(new ProtoStatsRecord("0.0.0.0", 0xc61c, 0x0c, "clock_step +0.315000 s"));
            ((Stratum.Platform.Hosting.IStatisticsSink)writer).Record(actions, Stamp, _ => null);
        }

        Assert.Equal("61367 43200.500 0.0.0.0 c016 06 restart\n61367 43200.500 192.0.2.1 9024 84 reachable\n61367 43200.500 0.0.0.0 c61c 0c clock_step +0.315000 s\n",
            File.ReadAllText(Path.Combine(_directory, "protostats.20261123")));
        Assert.Equal("protostats.20261123", new FileInfo(Path.Combine(_directory, "protostats")).LinkTarget);
    }

    [Fact]
    public void RawAndSysStats_WrittenWithTheLocalAddressAndTheCounters()
    {
        var config = new NtpConfig { StatsDirectory = _directory, Statistics = [StatisticsKind.RawStats, StatisticsKind.SysStats, StatisticsKind.ClockStats] };
        var header = new Stratum.Core.Wire.NtpHeader(Stratum.Core.Wire.LeapIndicator.NoWarning, 4, Stratum.Core.Wire.NtpMode.Server, 2, 6, -23,
            new Stratum.Core.Time.NtpShort(65536), new Stratum.Core.Time.NtpShort(655), Stratum.Core.Wire.ReferenceId.FromAddress(System.Net.IPAddress.Parse("192.0.2.9")),
            default, default, Stratum.Core.Time.NtpTimestamp.FromParts(3973265840, 0), Stratum.Core.Time.NtpTimestamp.FromParts(3973265840, 0));
        var exchange = new Stratum.Engine.Associations.RawExchange(header,
            Stratum.Core.Time.NtpTimestamp.FromParts(3973265839, 0), Stratum.Core.Time.NtpTimestamp.FromParts(3973265841, 0));
        var counters = new Stratum.Engine.Server.ServerCounters();
        using (StatisticsWriter writer = StatisticsWriter.For(config, 4242)!)
        {
            Assert.True(writer.Writes(StatisticsKind.ClockStats));
            var actions = new EngineActions();
            actions.RecordRaw(new RawStatsRecord(7, "192.0.2.1", exchange));
            writer.RecordRaw(actions, Stamp, id => id == 7 ? "192.0.2.200" : null);
            writer.RecordSystem(Stamp, 3600, counters);
        }

        Assert.Equal("61367 43200.500 192.0.2.1 192.0.2.200 3973265839.000000000 3973265840.000000000 3973265840.000000000 3973265841.000000000 0 4 4 2 6 -23 1.000000 0.009995 192.0.2.9\n",
            File.ReadAllText(Path.Combine(_directory, "rawstats.20261123")));
        Assert.Equal("61367 43200.500 3600 0 0 0 0 0 0 0 0 0 0\n", File.ReadAllText(Path.Combine(_directory, "sysstats.20261123")));
        Assert.False(File.Exists(Path.Combine(_directory, "clockstats.20261123")), "the local clock records no clock events");
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
