// DiagnosticChecks: properties every diagnostic of the text parsers (ntp.conf, keys file,
// leap-seconds.list) must have, whatever the input: a position inside the file, a message, and
// no control characters, since messages go to terminals and logs and a hostile file must not
// smuggle escape sequences into them (DiagnosticText escapes quoted words for this).
using Stratum.Core.Config;

namespace Stratum.Fuzz.Targets;

internal static class DiagnosticChecks
{
    /// <summary>Checks each diagnostic; <paramref name="lineCount"/> bounds the line numbers (0: unknown, no bound).</summary>
    public static void CheckAll(IReadOnlyList<ConfigDiagnostic> diagnostics, int lineCount)
    {
        foreach (ConfigDiagnostic diagnostic in diagnostics)
        {
            FuzzInvariantException.Check(diagnostic.Line >= 0 && diagnostic.Column >= 0, $"negative position: {diagnostic}");
            FuzzInvariantException.Check(diagnostic.Line == 0 || diagnostic.Column >= 1, $"line without a column: {diagnostic}");
            FuzzInvariantException.Check(lineCount == 0 || diagnostic.Line <= lineCount, $"line {diagnostic.Line} beyond the {lineCount} lines of the input");
            FuzzInvariantException.Check(diagnostic.Message.Length > 0, "empty diagnostic message");
            string text = diagnostic.ToString();
            foreach (char c in text)
            {
                FuzzInvariantException.Check(!char.IsControl(c), $"control character U+{(int)c:X4} in diagnostic: {Escape(text)}");
            }
        }
    }

    /// <summary>Whether any diagnostic is an error, as HasErrors must report.</summary>
    public static bool AnyError(IReadOnlyList<ConfigDiagnostic> diagnostics)
    {
        foreach (ConfigDiagnostic diagnostic in diagnostics)
        {
            if (diagnostic.Severity == DiagnosticSeverity.Error)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Lines as the keys and leap parsers count them: split at '\n'.</summary>
    public static int CountLines(string text)
    {
        int lines = 1;
        foreach (char c in text)
        {
            if (c == '\n')
            {
                lines++;
            }
        }

        return lines;
    }

    private static string Escape(string text)
    {
        var escaped = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            escaped.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return escaped.ToString();
    }
}
