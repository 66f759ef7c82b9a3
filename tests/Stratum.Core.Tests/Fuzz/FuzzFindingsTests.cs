// Bugs the fuzzer found, each pinned by a unit test beside its input in
// tests/Stratum.Fuzz/regressions/<target>/ (replayed by FuzzCorpusReplayTests).
using Stratum.Core.Config;

namespace Stratum.Core.Tests.Fuzz;

public class FuzzFindingsTests
{
    // config target: "includefile /p2\b" printed the raw path, putting a control character
    // (a possible terminal escape) into "cannot read ..." on stderr and in logs.
    [Fact]
    public void ConfigDiagnostic_IncludePathWithControlCharacters_IsEscapedWhenPrinted()
    {
        ConfigParseResult result = ConfigParser.Parse("includefile /p2\b\u001b[2J\n", "ntp.conf", new MissingFiles());

        ConfigDiagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(@"ntp.conf:1:13: error: cannot read /p2\x08\x1b[2J: No such file or directory", diagnostic.ToString());
    }

    [Fact]
    public void ConfigDiagnostic_FileNameWithControlCharacters_IsEscapedWhenPrinted()
    {
        var diagnostic = new ConfigDiagnostic(DiagnosticSeverity.Warning, "inc\u0007.conf", 2, 1, "tab\there");

        Assert.Equal(@"inc\x07.conf:2:1: warning: tab\x09here", diagnostic.ToString());
    }

    private sealed class MissingFiles : IConfigIncludeSource
    {
        public bool TryRead(string path, out string text, out string? error)
        {
            text = "";
            error = "No such file or directory";
            return false;
        }
    }
}
