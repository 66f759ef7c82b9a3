// DebugTrace and HexDump: lines only at or below the level, invariant numbers, and ntpq 4.2.8's
// dump_hex_printable layout (hex from column 0 with a gap after the eighth octet, text at column 50).
using Stratum.Client.Diagnostics;

namespace Stratum.Client.Tests.Diagnostics;

public class DebugTraceTests
{
    [Fact]
    public void Write_BelowTheLineLevel_IsSilent()
    {
        var lines = new List<string>();
        var trace = new DebugTrace(lines.Add, 1);
        trace.Write(1, $"one {1}");
        trace.Write(2, $"two");
        trace.Level = 2;
        trace.Write(2, $"two {2.5}");
        Assert.Equal(["one 1", "two 2.5"], lines);
    }

    [Fact]
    public void Dump_WritesTitleAndRowsOfSixteen()
    {
        var lines = new List<string>();
        var trace = new DebugTrace(lines.Add, 4);
        byte[] data = [.. "ABCDEFGHIJKLMNOPQ"u8];
        trace.Dump(4, "Request packet:", data);
        trace.Dump(5, "hidden", data);
        Assert.Equal(3, lines.Count);
        Assert.Equal("Request packet:", lines[0]);
        Assert.Equal("41 42 43 44 45 46 47 48  49 4A 4B 4C 4D 4E 4F 50  ABCDEFGHIJKLMNOP", lines[1]);
        Assert.Equal("51" + new string(' ', 48) + "Q", lines[2]);
    }

    [Fact]
    public void HexDumpRow_NonPrintable_ShownAsDot()
    {
        string row = HexDump.Row([0x16, 0x02, 0x00, 0x01, 0x7F, 0x20]);
        Assert.Equal("16 02 00 01 7F 20" + new string(' ', 50 - 17) + "..... ", row);
        Assert.Equal(56, row.Length);
    }
}
