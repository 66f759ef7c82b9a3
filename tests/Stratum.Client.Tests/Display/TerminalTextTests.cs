// TerminalText: C0 controls, DEL and C1 controls shown as "\xHH"; printable text unchanged (the same
// string, not a copy); from the wire every octet outside printable ASCII escaped, CR LF and LF kept
// as newlines only when asked (ntpq's raw output).
using Stratum.Client.Display;

namespace Stratum.Client.Tests.Display;

public class TerminalTextTests
{
    [Theory]
    [InlineData("\u001b[2J", "\\x1b[2J")]
    [InlineData("bell\a", "bell\\x07")]
    [InlineData("a\rb", "a\\x0db")]
    [InlineData("tab\there\nnext", "tab\\x09here\\x0anext")]
    [InlineData("\0nul", "\\x00nul")]
    [InlineData("del\u007f", "del\\x7f")]
    [InlineData("csi\u009b31m", "csi\\x9b31m")]
    [InlineData("\u00a0nbsp é ü", "\u00a0nbsp é ü")]
    [InlineData("back\\slash", "back\\slash")]
    public void Escape_ControlsAsHex(string text, string expected) => Assert.Equal(expected, TerminalText.Escape(text));

    [Fact]
    public void Escape_PrintableText_SameInstance()
    {
        string text = "ntp1.example.com";
        Assert.Same(text, TerminalText.Escape(text));
    }

    [Fact]
    public void FromWire_NonPrintableOctetsAsHex() =>
        Assert.Equal("ok \\x1b[2J\\x07\\x0d\\x0a\\x7f\\x9b\\xc3\\xa9", TerminalText.FromWire("ok \u001b[2J\a\r\n\u007f"u8.ToArray().Concat(new byte[] { 0x9b, 0xc3, 0xa9 }).ToArray()));

    [Fact]
    public void FromWire_KeepLineBreaks_CrLfAndLfAreNewlines_LoneCrEscaped() =>
        Assert.Equal("a=1,\nb=2,\nc=\\x0d3", TerminalText.FromWire("a=1,\r\nb=2,\nc=\r3"u8, keepLineBreaks: true));
}
