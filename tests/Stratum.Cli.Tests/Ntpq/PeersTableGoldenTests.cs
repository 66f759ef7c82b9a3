// Golden `peers` tables for remote associations, fed the READVAR variables ntpd would send, compared
// whole. The expected rows follow ntpq 4.2.8's doprintpeers by hand: tally from the selection code
// (" x.-+#*o"), "%c%-15.15s " for the remote name (cut at 15; with -w printed whole and the row
// continued on the next line after 17 spaces), the refid padded to 15 (".INIT.", kiss codes at
// stratum 16 and 0, dotted quads, "(loop)" for flash TEST12; apeers: hex, padded to 9, then the
// association id; opeers: the local address, trunc_left to 15, and the dispersion), then
// " %2ld %c %4.4s %4.4s  %3lo  %7.7s %8.7s %7.7s" with when/poll by prettyinterval (s, m, h, d, y)
// and the milliseconds cut to their first 7 characters ("1234.568" → "1234.56").
using System.Globalization;
using System.Net;
using System.Text;
using Stratum.Core.Time;
using Stratum.Tools.Ntpq;

namespace Stratum.Cli.Tests.Ntpq;

public sealed class PeersTableGoldenTests
{
    private const uint NowSeconds = 0xE9000000;

    private static readonly NtpTimestamp s_now = new((ulong)NowSeconds << 32);

    private static readonly Dictionary<string, string> s_names = new()
    {
        ["192.0.2.11"] = "falseticker.example.org",
        ["192.0.2.16"] = "ntp1.example.com",
        ["192.0.2.19"] = "exactly15chars.",
    };

    /// <summary>(selection code, variables) of each association, as the daemon would send them.</summary>
    private static readonly (int Selection, string Variables)[] s_rows =
    [
        (0, "srcadr=192.0.2.10, dstadr=192.0.2.1, stratum=16, refid=INIT, reftime=0x00000000.00000000, rec=0x00000000.00000000, "
            + "reach=0x0, hmode=3, hpoll=6, ppoll=10, flash=0x1600, offset=0.000, delay=0.000, dispersion=16000.000, jitter=0.000"),
        (1, "srcadr=192.0.2.11, dstadr=192.0.2.1, stratum=2, refid=192.0.2.77, " + Received(45)
            + ", reach=0xff, hmode=3, hpoll=10, ppoll=10, flash=0x0, offset=-15.678, delay=1.234, dispersion=2.500, jitter=0.456"),
        (2, "srcadr=192.0.2.12, stratum=1, refid=GPS, " + Received(2048)
            + ", reach=0xf, hmode=3, hpoll=6, ppoll=6, offset=-0.000, delay=25.500, dispersion=1.000, jitter=123.456"),
        (3, "srcadr=192.0.2.13, stratum=16, refid=RATE, " + Received(2100)
            + ", reach=0x1, hmode=3, hpoll=7, ppoll=8, offset=98765.432, delay=1234.568, dispersion=1.000, jitter=5000.000"),
        (4, "srcadr=192.0.2.14, stratum=0, refid=DENY, " + Received(18060)
            + ", reach=0xfe, hmode=3, hpoll=4, ppoll=6, offset=-1234.568, delay=0.001, dispersion=1.000, jitter=0.000"),
        (5, "srcadr=192.0.2.15, stratum=3, refid=10.1.2.3, rec=0x00000000.00000000, reftime="
            + Timestamp(NowSeconds - 345600) + ", reach=0x7, hmode=3, hpoll=3, ppoll=3, offset=0.500, delay=12.000, jitter=1.000"),
        (6, "srcadr=192.0.2.16, stratum=1, refid=GPS, " + Received(349200)
            + ", reach=0xff, hmode=3, hpoll=6, ppoll=6, offset=0.045, delay=0.123, jitter=0.012"),
        (7, "srcadr=127.127.28.0, stratum=0, refid=PPS, " + Received(86400000)
            + ", reach=0xff, hmode=3, hpoll=4, ppoll=4, offset=-0.002, delay=0.000, jitter=0.001"),
        (0, "srcadr=192.0.2.18, stratum=3, refid=192.0.2.1, rec=" + Timestamp(NowSeconds + 5)
            + ", reach=0x1, hmode=2, hpoll=3, ppoll=5, flash=0x800, offset=-0.125, delay=0.250, jitter=0.062"),
        (0, "srcadr=192.0.2.19, stratum=2, refid=192.0.2.99, " + Received(86313600)
            + ", reach=0x3, hmode=1, hpoll=6, ppoll=6, offset=0.000, delay=0.100, dispersion=0.050"),
    ];

    private static string Timestamp(uint seconds) => string.Create(CultureInfo.InvariantCulture, $"0x{seconds:x8}.00000000");

    private static string Received(uint secondsAgo) => "rec=" + Timestamp(NowSeconds - secondsAgo);

    private static string Table(PeersVariant variant, bool wide, params int[] rows) =>
        Table(variant, wide, rows, s_rows);

    private static string Table(PeersVariant variant, bool wide, int[] rows, (int Selection, string Variables)[] source)
    {
        var table = new PeersTable(false, address => s_names.GetValueOrDefault(address.ToString()), variant, wide);
        var text = new StringBuilder(table.HeaderText);
        foreach (int row in rows)
        {
            (int selection, string variables) = source[row];
            ushort status = (ushort)((0x90 | selection) << 8);
            text.Append(table.Line((ushort)(row + 1), status, VariableList.Parse(Encoding.ASCII.GetBytes(variables)), s_now));
        }

        return text.ToString();
    }

    [Fact]
    public void Peers_RemoteAssociations_EveryTallyRefidAndWhenUnit() => Assert.Equal(
        PeersTable.Header
        + " 192.0.2.10      .INIT.          16 u    -   64    0    0.000    0.000   0.000\n"
        + "xfalseticker.exa 192.0.2.77       2 u   45 1024  377    1.234  -15.678   0.456\n"
        + ".192.0.2.12      .GPS.            1 u 2048   64   17   25.500    0.000 123.456\n"
        + "-192.0.2.13      .RATE.          16 u  35m  128    1  1234.56  98765.4 5000.00\n"
        + "+192.0.2.14      .DENY.           0 u   5h   16  376    0.001  -1234.5   0.000\n"
        + "#192.0.2.15      10.1.2.3         3 u  96h    8    7   12.000    0.500   1.000\n"
        + "*ntp1.example.co .GPS.            1 u   4d   64  377    0.123    0.045   0.012\n"
        + "oSHM(0)          .PPS.            0 l   3y   16  377    0.000   -0.002   0.001\n"
        + " 192.0.2.18      (loop)           3 S    -    8    1    0.250   -0.125   0.062\n"
        + " exactly15chars. 192.0.2.99       2 s 999d   64    3    0.100    0.000   0.050\n",
        Table(PeersVariant.Peers, false, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9));

    [Fact]
    public void Peers_Wide_LongRemoteNamesOnTheirOwnLine() => Assert.Equal(
        PeersTable.Header
        + " 192.0.2.10      .INIT.          16 u    -   64    0    0.000    0.000   0.000\n"
        + "xfalseticker.example.org\n"
        + "                 192.0.2.77       2 u   45 1024  377    1.234  -15.678   0.456\n"
        + ".192.0.2.12      .GPS.            1 u 2048   64   17   25.500    0.000 123.456\n"
        + "-192.0.2.13      .RATE.          16 u  35m  128    1  1234.56  98765.4 5000.00\n"
        + "+192.0.2.14      .DENY.           0 u   5h   16  376    0.001  -1234.5   0.000\n"
        + "#192.0.2.15      10.1.2.3         3 u  96h    8    7   12.000    0.500   1.000\n"
        + "*ntp1.example.com\n"
        + "                 .GPS.            1 u   4d   64  377    0.123    0.045   0.012\n"
        + "oSHM(0)          .PPS.            0 l   3y   16  377    0.000   -0.002   0.001\n"
        + " 192.0.2.18      (loop)           3 S    -    8    1    0.250   -0.125   0.062\n"
        + " exactly15chars. 192.0.2.99       2 s 999d   64    3    0.100    0.000   0.050\n",
        Table(PeersVariant.Peers, true, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9));

    [Fact]
    public void AssociationPeers_HexRefidsAndIds() => Assert.Equal(
        PeersTable.AssociationHeader
        + " 192.0.2.10      .INIT.   1      16 u    -   64    0    0.000    0.000   0.000\n"
        + "xfalseticker.exa c000024d 2       2 u   45 1024  377    1.234  -15.678   0.456\n"
        + "#192.0.2.15      a010203  6       3 u  96h    8    7   12.000    0.500   1.000\n"
        + " 192.0.2.18      (loop)   9       3 S    -    8    1    0.250   -0.125   0.062\n",
        Table(PeersVariant.AssociationPeers, false, 0, 1, 5, 8));

    [Fact]
    public void OldPeers_LocalAddressCutOnTheLeft_AndDispersion()
    {
        (int Selection, string Variables)[] rows = [.. s_rows];
        rows[0] = (rows[0].Selection, rows[0].Variables.Replace("dstadr=192.0.2.1", "dstadr=2001:db8:1234:5678:9abc:def0:1234:5678", StringComparison.Ordinal));
        Assert.Equal(
            PeersTable.OldHeader
            + "xfalseticker.exa 192.0.2.1        2 u   45 1024  377    1.234  -15.678   2.500\n"
            + " 192.0.2.10      _def0:1234:5678 16 u    -   64    0    0.000    0.000 16000.0\n",
            Table(PeersVariant.OldPeers, false, [1, 0], rows));
    }

    [Theory]
    [InlineData(-1L, "-")]
    [InlineData(0L, "-")]
    [InlineData(1L, "1")]
    [InlineData(2048L, "2048")]
    [InlineData(2049L, "34m")]
    [InlineData(18030L, "300m")]
    [InlineData(18060L, "5h")]
    [InlineData(345600L, "96h")]
    [InlineData(349200L, "4d")]
    [InlineData(86313600L, "999d")]
    [InlineData(86400000L, "3y")]
    [InlineData(131072L, "36h")]
    [InlineData(40_000_000_000L, "INF")]
    public void PrettyInterval_SecondsMinutesHoursDaysYears(long seconds, string expected) =>
        Assert.Equal(expected, NtpqValues.PrettyInterval(seconds));

    [Theory]
    [InlineData(0.0, "0.000")]
    [InlineData(-0.0004, "-0.000")]
    [InlineData(12.3456, "12.346")]
    [InlineData(-1234.5678, "-1234.568")]
    public void Milliseconds3_AsLfptoms(double milliseconds, string expected) => Assert.Equal(expected, NtpqValues.Milliseconds3(milliseconds));

    [Fact]
    public void Milliseconds3_NegativeZeroAsSent_IsZero()
    {
        Assert.True(NtpqValues.TryParseMilliseconds("-0.000", out double milliseconds));
        Assert.Equal("0.000", NtpqValues.Milliseconds3(milliseconds));
    }
}
