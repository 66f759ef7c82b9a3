// ConfigDiagnostic: one problem found in ntp.conf, printed as compilers do
// ("file:line:column: error: unknown directive 'sever'", ARCHITECTURE.md §7). Lines and columns
// are 1-based; line 0 means the whole file (for instance when it cannot be read) and prints
// without a position.
namespace Stratum.Core.Config;

/// <summary>A config error or warning with its position.</summary>
/// <param name="Severity">Warning or error.</param>
/// <param name="File">The file name as given to the parser (or the include path).</param>
/// <param name="Line">1-based line, or 0 for the whole file.</param>
/// <param name="Column">1-based column of the word concerned, or 0 for the whole file.</param>
/// <param name="Message">Lower-case text that names the directive or word concerned.</param>
public sealed record ConfigDiagnostic(DiagnosticSeverity Severity, string File, int Line, int Column, string Message)
{
    public override string ToString()
    {
        string severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        // File names and OS messages are not quoted words, so escape them here too: a control
        // character in an includefile path must not reach a terminal (found by fuzzing).
        string file = DiagnosticText.EscapeControl(File);
        string message = DiagnosticText.EscapeControl(Message);
        return Line > 0
            ? $"{file}:{Line}:{Column}: {severity}: {message}"
            : $"{file}: {severity}: {message}";
    }
}
