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

    [Fact]
    public void RawStatsLine_MatchesNtpdLayout()
    {
        var header = new Stratum.Core.Wire.NtpHeader(Stratum.Core.Wire.LeapIndicator.NoWarning, 4, Stratum.Core.Wire.NtpMode.Server, 1, 6, -20,
            Stratum.Core.Time.NtpShort.Zero, new Stratum.Core.Time.NtpShort(32), Stratum.Core.Wire.ReferenceId.FromAscii("GPS"),
            default, default, Stratum.Core.Time.NtpTimestamp.FromParts(3973265840, 0x80000000), Stratum.Core.Time.NtpTimestamp.FromParts(3973265840, 0x80418937));
        var exchange = new Stratum.Engine.Associations.RawExchange(header,
            Stratum.Core.Time.NtpTimestamp.FromParts(3973265840, 0x7FFFFFFF), Stratum.Core.Time.NtpTimestamp.FromParts(3973265840, 0xFFFFFFFF));

        Assert.Equal("61367 75440.031 10.0.0.1 10.0.0.2 3973265840.500000000 3973265840.500000000 3973265840.501000000 3973265841.000000000 0 4 4 1 6 -20 0.000000 0.000488 .GPS.",
            StatisticsFiles.RawStatsLine(s_instant, "10.0.0.1", "10.0.0.2", exchange));
        Assert.Contains(" - 3973265840.500000000 ", StatisticsFiles.RawStatsLine(s_instant, "10.0.0.1", null, exchange), StringComparison.Ordinal);
        var stratum2 = exchange with { Header = header with { Stratum = 2, ReferenceId = Stratum.Core.Wire.ReferenceId.FromAddress(System.Net.IPAddress.Parse("192.0.2.7")) } };
        Assert.EndsWith(" 2 6 -20 0.000000 0.000488 192.0.2.7", StatisticsFiles.RawStatsLine(s_instant, "10.0.0.1", null, stratum2), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x00000000u, "0.000000000")]
    [InlineData(0x00000004u, "0.000000001")]
    [InlineData(0xFFFFFFFFu, "1.000000000")]
    [InlineData(0x40000000u, "0.250000000")]
    public void Timestamp_NineDecimalsRounded(uint fraction, string expected) =>
        Assert.Equal(expected, StatisticsFiles.Timestamp(Stratum.Core.Time.NtpTimestamp.FromParts(0, fraction)));

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
