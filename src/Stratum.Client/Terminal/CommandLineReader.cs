// CommandLineReader: how ntpq and ntpdc read an interactive command line. With a key source (stdin
// is a terminal) the LineEditor reads it, with editing and this session's history; without one
// (stdin redirected, and the tests that feed commands as text) it is a plain ReadLine, so piped
// input behaves exactly as before. The caller prints the prompt.
namespace Stratum.Client.Terminal;

/// <summary>Reads command lines from a terminal with editing, else from a text reader.</summary>
public sealed class CommandLineReader
{
    private readonly TextReader _input;
    private readonly LineEditor? _editor;

    public CommandLineReader(TextReader input, IKeySource? keys, TextWriter echo)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(echo);
        _input = input;
        _editor = keys is null ? null : new LineEditor(keys, echo, History);
    }

    /// <summary>The lines entered so far (used only with a key source).</summary>
    public LineHistory History { get; } = new();

    /// <summary>The next line, or null at the end of input.</summary>
    public string? ReadLine() => _editor is null ? _input.ReadLine() : _editor.ReadLine();
}
