// TextLineReader: splits file text into lines for the keys file parser here and the Leap
// parser (leap-seconds.list), the two line-oriented files Core reads besides ntp.conf. Lines end
// at '\n'; a '\r' before it is dropped (files edited on Windows). No other character ends a line,
// so line numbers match what editors and "sed -n Np" show. Allocation-free.
namespace Stratum.Core.Auth;

/// <summary>Reads the lines of a text with their 1-based numbers.</summary>
internal ref struct TextLineReader(ReadOnlySpan<char> text)
{
    private ReadOnlySpan<char> _rest = text;
    private bool _done = text.IsEmpty;
    private int _lineNumber;

    /// <summary>The next line without its line end; false after the last one.</summary>
    public bool TryReadLine(out ReadOnlySpan<char> line, out int lineNumber)
    {
        if (_done)
        {
            line = default;
            lineNumber = _lineNumber;
            return false;
        }

        int end = _rest.IndexOf('\n');
        if (end < 0)
        {
            line = _rest;
            _rest = default;
            _done = true;
        }
        else
        {
            line = _rest[..end];
            _rest = _rest[(end + 1)..];
            _done = _rest.IsEmpty;
        }

        if (!line.IsEmpty && line[^1] == '\r')
        {
            line = line[..^1];
        }

        lineNumber = ++_lineNumber;
        return true;
    }
}
