// ntpq's cooked `flash` (ntpq.c tstflags): "%02lx", then " ok" for zero, else the names of the lit
// TEST1..TEST13 bits joined by ", "; the text never passes tstflags' 80-octet buffer, cut with "...".
// readvar prints it so for the value ntpd sends ("0x1600").
using Stratum.Tools.Ntpq;

namespace Stratum.Cli.Tests.Ntpq;

public sealed class FlashTextTests
{
    [Theory]
    [InlineData(0x0000UL, "00 ok")]
    [InlineData(0x0001UL, "01 pkt_dup")]
    [InlineData(0x0002UL, "02 pkt_bogus")]
    [InlineData(0x0024UL, "24 pkt_unsync, pkt_stratum")]
    [InlineData(0x0400UL, "400 peer_dist")]
    [InlineData(0x1200UL, "1200 peer_stratum, peer_unreach")]
    [InlineData(0x1600UL, "1600 peer_stratum, peer_dist, peer_unreach")]
    [InlineData(0x0800UL, "800 peer_loop")]
    public void Flash_NamesTheLitTests(ulong value, string expected) => Assert.Equal(expected, StatusText.Flash(value));

    [Fact]
    public void Flash_EveryBit_IsCutAtTheBufferWithDots()
    {
        string text = StatusText.Flash(0x1FFF);
        Assert.Equal(79, text.Length);
        Assert.Equal("1fff pkt_dup, pkt_bogus, pkt_unsync, pkt_denied, pkt_auth, pkt_stratum, pkt_...", text);
    }

    [Fact]
    public void ReadVar_CooksFlash_AsNtpqDoes()
    {
        var printer = new VariablePrinter(true, 0, TimeZoneInfo.Utc);
        VariableList variables = VariableList.Parse("reach=0x0, unreach=3, headway=0, flash=0x1600"u8.ToArray());
        Assert.Equal("reach=000, unreach=3, headway=0,\nflash=1600 peer_stratum, peer_dist, peer_unreach\n",
            printer.Print(5, 0x8011, VariableKind.Peer, variables, quiet: true));
    }
}
