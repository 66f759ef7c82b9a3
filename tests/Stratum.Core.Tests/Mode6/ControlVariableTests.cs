// Variable lists: ntpd's wire text read back item by item (quoted commas, CRLF line breaks,
// bare names of a READVAR request) and written with ntpd's separators and number formats.
using System.Text;
using Stratum.Core.Mode6;
using Stratum.Core.Time;

namespace Stratum.Core.Tests.Mode6;

public class ControlVariableTests
{
    private static List<(string Name, string Value)> ReadAll(string text)
    {
        var items = new List<(string, string)>();
        var reader = new ControlVariableReader(Encoding.ASCII.GetBytes(text));
        while (reader.TryReadNext(out ControlVariable variable))
        {
            items.Add((Encoding.ASCII.GetString(variable.Name), Encoding.ASCII.GetString(variable.Value)));
        }

        return items;
    }

    [Fact]
    public void Reader_NtpdText_YieldsItemsWithQuotesKept()
    {
        List<(string, string)> items = ReadAll("version=\"ntpd 4.2.8p15, x\", leap=0,\r\nstratum=2, refid=192.0.2.1,  flash=0x0");
        Assert.Equal(
            [("version", "\"ntpd 4.2.8p15, x\""), ("leap", "0"), ("stratum", "2"), ("refid", "192.0.2.1"), ("flash", "0x0")],
            items);
    }

    [Fact]
    public void Reader_RequestNames_YieldsEmptyValues() =>
        Assert.Equal([("stratum", ""), ("offset", "")], ReadAll("stratum, offset"));

    [Theory]
    [InlineData("")]
    [InlineData(",,,  ,\r\n")]
    [InlineData("=")]
    [InlineData("a=\"unterminated, b=1")]
    [InlineData("\0\0\0")]
    public void Reader_OddText_NeverThrows(string text) => ReadAll(text);

    [Fact]
    public void Reader_UnterminatedQuote_RunsToEnd() =>
        Assert.Equal([("a", "\"unterminated, b=1")], ReadAll("a=\"unterminated, b=1"));

    [Fact]
    public void Writer_Formats_MatchNtpd()
    {
        var writer = new ControlVariableWriter();
        writer.AddString("version", "ntpd x");
        writer.AddInteger("stratum", 11);
        writer.AddMilliseconds("rootdisp", 0.0012345);
        writer.AddMillisecondsPrecise("offset", -0.0000015);
        writer.AddHex("reach", 0xff);
        writer.AddTimestamp("reftime", NtpTimestamp.FromParts(0xe0b1b4f3, 0x5a9a4000));
        Assert.Equal("version=\"ntpd x\", stratum=11, rootdisp=1.234, offset=-0.001500, reach=0xff,\r\nreftime=0xe0b1b4f3.5a9a4000", writer.ToString());
    }

    [Fact]
    public void Writer_Array_UsesSpacePrefixedTwoDecimals()
    {
        var writer = new ControlVariableWriter();
        writer.AddArray("filtdelay", [0.000126, 0.0, 16.0]);
        Assert.Equal("filtdelay= 0.13 0.00 16000.00", writer.ToString());
    }
}
