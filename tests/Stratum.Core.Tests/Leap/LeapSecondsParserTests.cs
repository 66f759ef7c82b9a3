// LeapSecondsParser and LeapSecondTable against the real IERS leap-seconds.list (public domain,
// embedded as a resource: expires 28 June 2026) and damaged copies of it: a tampered value, a
// truncated file, an expired list, malformed lines. Times are NTP seconds since 1900.
using System.Reflection;
using Stratum.Core.Config;
using Stratum.Core.Leap;
using Stratum.Core.Time;

namespace Stratum.Core.Tests.Leap;

public class LeapSecondsParserTests
{
    private const long Jan2025 = 3944678400;          // 2025-01-01 00:00:00 UTC
    private const long Expiry = 3991593600;           // 2026-06-28, the file's "#@"
    private const long LastUpdate = 3960835200;       // the file's "#$"
    private const long Jan2017 = 3692217600;          // the last leap second took effect (TAI-UTC 37)
    private const long Jan1972 = 2272060800;          // first entry (TAI-UTC 10)

    private static readonly string s_realFile = ReadResource("leap-seconds.list");

    [Fact]
    public void Parse_RealFile_HashVerifiesAndNoDiagnostics()
    {
        LeapSecondsParseResult result = LeapSecondsParser.Parse(s_realFile, "leap-seconds.list", Jan2025);

        Assert.Empty(result.Diagnostics);
        LeapSecondTable table = Assert.IsType<LeapSecondTable>(result.Table);
        Assert.True(table.IsHashVerified);
        Assert.Equal(LastUpdate, table.LastUpdate);
        Assert.Equal(Expiry, table.Expiry);
        Assert.Equal(28, table.Entries.Count);
        Assert.Equal(new LeapSecondEntry(Jan1972, 10, 86), table.Entries[0]);
        Assert.Equal(Jan2017, table.Entries[^1].SecondsSince1900);
    }

    [Theory]
    [InlineData(Jan1972 - 1, null)]
    [InlineData(Jan1972, 10)]
    [InlineData(2287785600 - 1, 10)]   // 1972-06-30 23:59:59, just before the first leap
    [InlineData(2287785600, 11)]       // 1972-07-01 00:00:00
    [InlineData(Jan2017 - 1, 36)]
    [InlineData(Jan2017, 37)]
    [InlineData(Jan2025, 37)]
    public void TaiOffsetAt_Time_IsTheOffsetOfTheLastEntryAtOrBefore(long time, int? expected)
    {
        LeapSecondTable table = ParseReal();

        Assert.Equal(expected, table.TaiOffsetAt(time));
    }

    [Fact]
    public void NextLeapAfter_Times_FindTheNextInsertion()
    {
        LeapSecondTable table = ParseReal();

        Assert.Equal(new LeapEvent(2287785600, LeapKind.Insert, 11), table.NextLeapAfter(Jan1972 - 100));
        Assert.Equal(new LeapEvent(2287785600, LeapKind.Insert, 11), table.NextLeapAfter(Jan1972));
        Assert.Equal(new LeapEvent(Jan2017, LeapKind.Insert, 37), table.NextLeapAfter(Jan2017 - 1));
        Assert.Null(table.NextLeapAfter(Jan2017));
        Assert.Null(table.NextLeapAfter(Jan2025));
    }

    [Fact]
    public void NextLeapAfter_LowerOffset_IsADeletion()
    {
        string text = "#$ 100\n#@ 900\n100 37\n500 36\n";

        LeapSecondTable table = Assert.IsType<LeapSecondTable>(LeapSecondsParser.Parse(text, "l", 200).Table);

        Assert.Equal(new LeapEvent(500, LeapKind.Delete, 36), table.NextLeapAfter(200));
        Assert.Equal(36, table.TaiOffsetAt(500));
    }

    [Fact]
    public void Queries_NtpTimestamp_UseTheEraRule()
    {
        LeapSecondTable table = ParseReal();

        Assert.Equal(37, table.TaiOffsetAt(NtpTimestamp.FromParts((uint)Jan2025, 0)));
        Assert.False(table.IsExpiredAt(NtpTimestamp.FromParts((uint)(Expiry - 1), 0xffffffff)));
        Assert.True(table.IsExpiredAt(NtpTimestamp.FromParts((uint)Expiry, 0)));
        // Era 1 (after 2036-02-07): 0x00000010 is 2036, long after the expiry.
        Assert.True(table.IsExpiredAt(NtpTimestamp.FromParts(0x10, 0)));
        Assert.Equal((1L << 32) + 0x10, LeapSecondTable.ToSecondsSince1900(NtpTimestamp.FromParts(0x10, 0)));
    }

    [Fact]
    public void Parse_TamperedLeapTime_IsAHashMismatch()
    {
        // The 2017 leap second moved one day later: still a well-formed list.
        string tampered = s_realFile.Replace("3692217600      37", "3692304000      37", StringComparison.Ordinal);
        Assert.NotEqual(s_realFile, tampered);

        LeapSecondsParseResult result = LeapSecondsParser.Parse(tampered, "leap-seconds.list", Jan2025);

        ConfigDiagnostic error = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(120, error.Line);
        Assert.StartsWith("hash mismatch: the '#h' line says 49db2447 571e5e1b 2f002a53 9c8da8e4 39b8e49e but the data hashes to ", error.Message, StringComparison.Ordinal);
        Assert.True(result.HasErrors);
        Assert.False(result.Table!.IsHashVerified);
    }

    [Fact]
    public void Parse_TamperedExpiry_IsAHashMismatch()
    {
        string tampered = s_realFile.Replace("#@\t3991593600", "#@\t4991593600", StringComparison.Ordinal);
        Assert.NotEqual(s_realFile, tampered);

        LeapSecondsParseResult result = LeapSecondsParser.Parse(tampered, "leap-seconds.list", Jan2025);

        Assert.Contains(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Message.StartsWith("hash mismatch", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_HashWordsWithoutLeadingZeros_StillVerify()
    {
        // NIST has published files whose hash groups lost their leading zeros.
        string text = "#$ 1\n#@ 2\n3 10\n";
        string hash = HashLineOf(text);
        string unpadded = string.Join(' ', hash.Split(' ').Select(word => word.TrimStart('0') is "" ? "0" : word.TrimStart('0')));

        LeapSecondsParseResult result = LeapSecondsParser.Parse(text + "#h " + unpadded + "\n", "l", 0);

        Assert.Empty(result.Diagnostics);
        Assert.True(result.Table!.IsHashVerified);
    }

    [Fact]
    public void Parse_TruncatedFile_WarnsThatTheHashIsMissingAndLosesLaterEntries()
    {
        int cut = s_realFile.IndexOf("3124137600", StringComparison.Ordinal);
        string truncated = s_realFile[..cut];

        LeapSecondsParseResult result = LeapSecondsParser.Parse(truncated, "leap-seconds.list", Jan2025);

        Assert.Equal(
            "leap-seconds.list: warning: no '#h' hash line: the file's integrity cannot be checked (it may be truncated)",
            Assert.Single(result.Diagnostics).ToString());
        Assert.False(result.Table!.IsHashVerified);
        Assert.Equal(31, result.Table.TaiOffsetAt(Jan2025));
    }

    [Fact]
    public void Parse_TruncatedInsideTheHeader_IsAnError()
    {
        int cut = s_realFile.IndexOf("#@", StringComparison.Ordinal);

        LeapSecondsParseResult result = LeapSecondsParser.Parse(s_realFile[..cut], "leap-seconds.list", Jan2025);

        Assert.True(result.HasErrors);
        Assert.Null(result.Table);
        Assert.Contains("leap-seconds.list: error: no '#@' line with the expiry time", result.Diagnostics.Select(d => d.ToString()));
        Assert.Contains("leap-seconds.list: error: no leap second entries", result.Diagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void Parse_AfterExpiry_WarnsWithTheDateButKeepsTheTable()
    {
        LeapSecondsParseResult result = LeapSecondsParser.Parse(s_realFile, "leap-seconds.list", Expiry);

        Assert.Equal(
            "leap-seconds.list:71:1: warning: the leap second list expired on 2026-06-28; leap seconds announced since are unknown",
            Assert.Single(result.Diagnostics).ToString());
        Assert.False(result.HasErrors);
        Assert.True(result.Table!.IsExpiredAt(Expiry));
        Assert.False(result.Table.IsExpiredAt(Expiry - 1));
    }

    [Fact]
    public void Parse_WindowsLineEnds_StillVerify()
    {
        LeapSecondsParseResult result = LeapSecondsParser.Parse(s_realFile.Replace("\n", "\r\n", StringComparison.Ordinal), "leap-seconds.list", Jan2025);

        Assert.Empty(result.Diagnostics);
        Assert.True(result.Table!.IsHashVerified);
    }

    [Theory]
    [InlineData("2272060800", "l:4:1: error: expected 'NTP-seconds TAI-UTC [# comment]', not '2272060800'")]
    [InlineData("2272060800 10 11", "l:4:1: error: expected 'NTP-seconds TAI-UTC [# comment]', not '2272060800 10 11'")]
    [InlineData("2272060800x 10", "l:4:1: error: expected 'NTP-seconds TAI-UTC [# comment]', not '2272060800x 10'")]
    [InlineData("  12345678901 10", "l:4:3: error: expected 'NTP-seconds TAI-UTC [# comment]', not '12345678901 10'")]
    [InlineData("2272060800 -", "l:4:1: error: expected 'NTP-seconds TAI-UTC [# comment]', not '2272060800 -'")]
    [InlineData("1000 10", "l:4:1: error: time 1000 is not after 2272060800 at l:3")]
    [InlineData("2287785600 12", "l:4:12: error: TAI-UTC goes from 10 to 12; a leap second changes it by 1")]
    [InlineData("#$ 5", "l:4:1: error: second '#$' line; the first is at l:1")]
    [InlineData("#h 1 2 3 4", "l:4:11: error: '#h' needs 5 groups of up to 8 hex digits, not ' 1 2 3 4'")]
    [InlineData("#h 1 2 3 4 123456789", "l:4:12: error: '#h' needs 5 groups of up to 8 hex digits, not ' 1 2 3 4 123456789'")]
    [InlineData("#h 1 2 3 4 5 6", "l:4:14: error: unexpected '6' after the '#h' hash")]
    public void Parse_MalformedLine_ReportsLineAndColumn(string badLine, string expected)
    {
        string text = "#$ 3960835200\n#@ 3991593600\n2272060800 10 # 1 Jan 1972\n" + badLine + "\n";

        LeapSecondsParseResult result = LeapSecondsParser.Parse(text, "l", Jan2025);

        Assert.Contains(expected, result.Diagnostics.Select(d => d.ToString()));
        Assert.True(result.HasErrors);
    }

    [Theory]
    [InlineData("#@", "l:2:3: error: '#@' needs the expiry time in NTP seconds, not ''")]
    [InlineData("#@ soon", "l:2:4: error: '#@' needs the expiry time in NTP seconds, not 'soon'")]
    [InlineData("#@ 123 456", "l:2:4: error: '#@' needs the expiry time in NTP seconds, not '123 456'")]
    public void Parse_BadExpiryLine_IsAnError(string expiryLine, string expected)
    {
        string text = "#$ 1\n" + expiryLine + "\n3 10\n";

        LeapSecondsParseResult result = LeapSecondsParser.Parse(text, "l", 0);

        Assert.Equal(expected, result.Diagnostics[0].ToString());
        Assert.Null(result.Table);
    }

    private static LeapSecondTable ParseReal() =>
        Assert.IsType<LeapSecondTable>(LeapSecondsParser.Parse(s_realFile, "leap-seconds.list", Jan2025).Table);

    /// <summary>The "#h" words the parser computes for <paramref name="text"/> (taken from its mismatch message).</summary>
    private static string HashLineOf(string text)
    {
        LeapSecondsParseResult result = LeapSecondsParser.Parse(text + "#h 0 0 0 0 0\n", "l", 0);
        string message = Assert.Single(result.Diagnostics).Message;
        int start = message.IndexOf("hashes to ", StringComparison.Ordinal) + "hashes to ".Length;
        return message[start..message.IndexOf(';', start)];
    }

    private static string ReadResource(string name)
    {
        Assembly assembly = typeof(LeapSecondsParserTests).Assembly;
        using Stream stream = assembly.GetManifestResourceStream("Stratum.Core.Tests.Leap." + name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
