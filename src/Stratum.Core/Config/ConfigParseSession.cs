// ConfigParseSession: one run of the parser over a main file and its includes: splits text into
// lines (LF or CRLF; a UTF-8 byte order mark is skipped), dispatches each line through
// DirectiveTable, and follows includefile (at most 5 levels deep, as ntpd's MAXINCLUDELEVEL, and
// never into a file that is already being read) and end (stop reading everything, as ntpd's
// lex_flush_stack).
namespace Stratum.Core.Config;

/// <summary>The state of one parse across included files.</summary>
internal sealed class ConfigParseSession
{
    /// <summary>Deepest nesting of includefile below the main file.</summary>
    public const int MaxIncludeDepth = 5;

    private readonly IConfigIncludeSource? _includes;
    private readonly List<string> _openFiles = [];
    private bool _endReached;

    public ConfigParseSession(IConfigIncludeSource? includes)
    {
        _includes = includes;
    }

    public ConfigBuilder Config { get; } = new();

    public DiagnosticBag Diagnostics { get; } = new();

    public void ParseText(string text, string fileName)
    {
        _openFiles.Add(fileName);
        int start = text.StartsWith('\uFEFF') ? 1 : 0;
        int lineNumber = 0;
        while (start <= text.Length && !_endReached && !Diagnostics.IsFull)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }

            int length = end - start;
            if (length > 0 && text[end - 1] == '\r')
            {
                length--;
            }

            lineNumber++;
            ParseLine(text.Substring(start, length), fileName, lineNumber);
            start = end + 1;
        }

        _openFiles.RemoveAt(_openFiles.Count - 1);
    }

    private void ParseLine(string text, string fileName, int lineNumber)
    {
        List<ConfigToken> tokens = ConfigLexer.Tokenize(text, out int unclosedQuoteColumn);
        if (unclosedQuoteColumn > 0)
        {
            Diagnostics.Error(new SourcePosition(fileName, lineNumber, unclosedQuoteColumn), "missing closing quote");
        }

        if (tokens.Count == 0)
        {
            return;
        }

        var line = new DirectiveLine(fileName, lineNumber, tokens, Diagnostics);
        switch (line.Name)
        {
            case "includefile":
                Include(line);
                return;
            case "end":
                line.ExpectEnd();
                _endReached = true;
                return;
        }

        if (DirectiveTable.TryGet(line.Name, out DirectiveHandler handler))
        {
            handler(line, Config);
        }
        else
        {
            line.Error(line.Directive, $"unknown directive {DiagnosticText.Quote(line.Name)}");
        }
    }

    private void Include(DirectiveLine line)
    {
        if (!line.TryTakeArgument("a file name", out ConfigToken pathToken))
        {
            return;
        }

        line.ExpectEnd();
        if (_includes is null)
        {
            line.Error(line.Directive, "includefile not available");
            return;
        }

        string path = IncludePath.Resolve(line.File, pathToken.Text);
        int cycleStart = _openFiles.IndexOf(path);
        if (cycleStart >= 0)
        {
            string chain = string.Join(" -> ", _openFiles.GetRange(cycleStart, _openFiles.Count - cycleStart));
            line.Error(pathToken, $"includefile cycle: {chain} -> {path}");
            return;
        }

        if (_openFiles.Count > MaxIncludeDepth)
        {
            line.Error(
                pathToken,
                $"includefile {DiagnosticText.Quote(path)} is nested more than {MaxIncludeDepth} levels deep");
            return;
        }

        if (!_includes.TryRead(path, out string text, out string? error))
        {
            line.Error(pathToken, $"cannot read {path}: {error ?? "unknown error"}");
            return;
        }

        ParseText(text, path);
    }
}
