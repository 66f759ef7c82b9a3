// Statistics line formats and filegen file names, against ntpd's documented examples.
using Stratum.Core.Config;
using Stratum.Platform.Files;

namespace Stratum.Platform.Tests.Files;

public class StatisticsFilesTests
{
    // 2026-11-23T20:57:20.031Z
    private static readonly long s_instant = (new DateTime(2026, 11, 23, 20, 57, 20, 31, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks * 100;

    [Fact]
    public void Stamp_IsMjdAndSecondsPastMidnight()
    {
        Assert.Equal("61367 75440.031", StatisticsFiles.Stamp(s_instant));
        Assert.Equal("40587 0.000", StatisticsFiles.Stamp(0));
    }

    [Fact]
    public void LoopStatsLine_MatchesNtpdLayout()
    {
        Assert.Equal("61367 75440.031 0.000006019 13.778 0.000351733 0.013380 6",
            StatisticsFiles.LoopStatsLine(s_instant, 0.000006019, 13.778190, 0.000351733, 0.013380, 6));
    }

    [Fact]
    public void PeerStatsLine_MatchesNtpdLayout()
    {
        Assert.Equal("61367 75440.031 10.0.0.1 9614 -0.001605376 0.000000000 0.001424877 0.000958674",
            StatisticsFiles.PeerStatsLine(s_instant, "10.0.0.1", 0x9614, -0.001605376, 0, 0.001424877, 0.000958674));
    }

    [Theory]
    [InlineData(FilegenType.Day, "/var/log/ntpstats/loopstats.20261123")]
    [InlineData(FilegenType.Week, "/var/log/ntpstats/loopstats.2026W48")]
    [InlineData(FilegenType.Month, "/var/log/ntpstats/loopstats.202611")]
    [InlineData(FilegenType.Year, "/var/log/ntpstats/loopstats.2026")]
    [InlineData(FilegenType.Pid, "/var/log/ntpstats/loopstats.4242")]
    [InlineData(FilegenType.None, "/var/log/ntpstats/loopstats")]
    public void FilePath_FollowsFilegenType(FilegenType type, string expected)
    {
        var filegen = new FilegenConfig(StatisticsKind.LoopStats, "loopstats", type, true, true, 1);
        Assert.Equal(expected, StatisticsFiles.FilePath("/var/log/ntpstats/", filegen, s_instant, 4242));
    }
}
