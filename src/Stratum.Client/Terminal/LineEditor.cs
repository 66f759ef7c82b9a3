// LineEditor: interactive line editing for ntpq and ntpdc, the subset of libedit/readline's emacs
// keys ntpq 4.2.8 users reach for: left/right (Ctrl-B/Ctrl-F), Home/End (Ctrl-A/Ctrl-E), Backspace,
// Delete, Ctrl-K (kill to end), Ctrl-U (kill to start, as readline), Ctrl-W (kill the word before
// the cursor), up/down (Ctrl-P/Ctrl-N) through the session's LineHistory, Enter to accept and Ctrl-D
// on an empty line for end of input (null). Other control keys, Tab (no completion) and Escape are
// ignored; Ctrl-C never arrives as a key (SIGINT stays with the runtime and ends the process).
// The prompt is the caller's; the editor echoes to the output writer using only printable
// characters, spaces and backspaces, so it needs no terminal database. Limit: a line longer than
// the terminal is wide does not redraw correctly (backspace does not move up a row); lines are
// capped at MaxLength characters. Every loop is bounded by the key source or the line length.
using System.Text;

namespace Stratum.Client.Terminal;

/// <summary>Reads one line at a time from keys, echoing and editing it on the output.</summary>
public sealed class LineEditor
{
    /// <summary>Longest line accepted; more typed characters are dropped.</summary>
    public const int MaxLength = 4096;

    private readonly IKeySource _keys;
    private readonly TextWriter _output;
    private readonly LineHistory _history;
    private readonly StringBuilder _line = new();
    private int _cursor;
    private int _historyIndex;
    private string _draft = string.Empty;

    public LineEditor(IKeySource keys, TextWriter output, LineHistory history)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(history);
        _keys = keys;
        _output = output;
        _history = history;
    }

    /// <summary>
    /// Reads keys until Enter (the line, stored in the history) or Ctrl-D on an empty line (null). When
    /// the keys run out the partial line is returned, or null if it is empty.
    /// </summary>
    public string? ReadLine()
    {
        _line.Clear();
        _cursor = 0;
        _historyIndex = _history.Count;
        _draft = string.Empty;
        while (_keys.TryReadKey(out ConsoleKeyInfo key))
        {
            switch (Classify(key))
            {
                case EditAction.Accept:
                    Write("\n");
                    return Accept();
                case EditAction.EndOfInput when _line.Length == 0:
                    Write("\n");
                    return null;
                case EditAction.EndOfInput:
                case EditAction.Delete:
                    DeleteUnderCursor();
                    break;
                case EditAction.Backspace: Backspace(); break;
                case EditAction.Left: Left(); break;
                case EditAction.Right: Right(); break;
                case EditAction.Home: Home(); break;
                case EditAction.End: End(); break;
                case EditAction.KillToEnd: KillToEnd(); break;
                case EditAction.KillToStart: KillToStart(); break;
                case EditAction.KillWord: KillWord(); break;
                case EditAction.Previous: Recall(-1); break;
                case EditAction.Next: Recall(+1); break;
                case EditAction.Insert: Insert(key.KeyChar); break;
                default: break;
            }

            _output.Flush();
        }

        return _line.Length == 0 ? null : Accept();
    }

    private enum EditAction
    {
        Ignore,
        Insert,
        Accept,
        EndOfInput,
        Delete,
        Backspace,
        Left,
        Right,
        Home,
        End,
        KillToEnd,
        KillToStart,
        KillWord,
        Previous,
        Next,
    }

    private static EditAction Classify(ConsoleKeyInfo key)
    {
        switch (key.Key)
        {
            case ConsoleKey.Enter: return EditAction.Accept;
            case ConsoleKey.Backspace: return EditAction.Backspace;
            case ConsoleKey.Delete: return EditAction.Delete;
            case ConsoleKey.LeftArrow: return EditAction.Left;
            case ConsoleKey.RightArrow: return EditAction.Right;
            case ConsoleKey.UpArrow: return EditAction.Previous;
            case ConsoleKey.DownArrow: return EditAction.Next;
            case ConsoleKey.Home: return EditAction.Home;
            case ConsoleKey.End: return EditAction.End;
            default: break;
        }

        char c = key.KeyChar;
        if ((key.Modifiers & ConsoleModifiers.Control) != 0 && key.Key is >= ConsoleKey.A and <= ConsoleKey.Z && (c == '\0' || !char.IsControl(c)))
        {
            // Some terminals report Ctrl+letter without the control character itself.
            c = (char)(key.Key - ConsoleKey.A + 1);
        }

        return c switch
        {
            '\r' or '\n' => EditAction.Accept,
            '\x01' => EditAction.Home,
            '\x02' => EditAction.Left,
            '\x04' => EditAction.EndOfInput,
            '\x05' => EditAction.End,
            '\x06' => EditAction.Right,
            '\b' or '\x7f' => EditAction.Backspace,
            '\x0b' => EditAction.KillToEnd,
            '\x0e' => EditAction.Next,
            '\x10' => EditAction.Previous,
            '\x15' => EditAction.KillToStart,
            '\x17' => EditAction.KillWord,
            _ when c != '\0' && !char.IsControl(c) => EditAction.Insert,
            _ => EditAction.Ignore,
        };
    }

    private string Accept()
    {
        string line = _line.ToString();
        _history.Add(line);
        return line;
    }

    private void Insert(char c)
    {
        if (_line.Length >= MaxLength)
        {
            return;
        }

        _line.Insert(_cursor, c);
        string tail = _line.ToString(_cursor, _line.Length - _cursor);
        _cursor++;
        Write(tail);
        Back(tail.Length - 1);
    }

    private void Backspace()
    {
        if (_cursor == 0)
        {
            return;
        }

        _cursor--;
        _line.Remove(_cursor, 1);
        Back(1);
        RedrawTail(1);
    }

    private void DeleteUnderCursor()
    {
        if (_cursor == _line.Length)
        {
            return;
        }

        _line.Remove(_cursor, 1);
        RedrawTail(1);
    }

    private void Left()
    {
        if (_cursor > 0)
        {
            _cursor--;
            Back(1);
        }
    }

    private void Right()
    {
        if (_cursor < _line.Length)
        {
            Write(_line[_cursor].ToString());
            _cursor++;
        }
    }

    private void Home()
    {
        Back(_cursor);
        _cursor = 0;
    }

    private void End()
    {
        Write(_line.ToString(_cursor, _line.Length - _cursor));
        _cursor = _line.Length;
    }

    private void KillToEnd()
    {
        int removed = _line.Length - _cursor;
        _line.Remove(_cursor, removed);
        RedrawTail(removed);
    }

    private void KillToStart()
    {
        int removed = _cursor;
        Back(removed);
        _line.Remove(0, removed);
        _cursor = 0;
        RedrawTail(removed);
    }

    private void KillWord()
    {
        int start = _cursor;
        while (start > 0 && _line[start - 1] == ' ')
        {
            start--;
        }

        while (start > 0 && _line[start - 1] != ' ')
        {
            start--;
        }

        int removed = _cursor - start;
        Back(removed);
        _line.Remove(start, removed);
        _cursor = start;
        RedrawTail(removed);
    }

    /// <summary>Moves through the history: -1 older, +1 newer; past the newest is the line being typed.</summary>
    private void Recall(int direction)
    {
        int target = _historyIndex + direction;
        if (target < 0 || target > _history.Count)
        {
            return;
        }

        if (_historyIndex == _history.Count)
        {
            _draft = _line.ToString();
        }

        _historyIndex = target;
        Replace(target == _history.Count ? _draft : _history[target]);
    }

    /// <summary>Shows <paramref name="text"/> in place of the whole line, cursor at its end.</summary>
    private void Replace(string text)
    {
        Back(_cursor);
        int erase = Math.Max(0, _line.Length - text.Length);
        _line.Clear().Append(text);
        _cursor = text.Length;
        Write(text);
        Write(new string(' ', erase));
        Back(erase);
    }

    /// <summary>Rewrites from the cursor to the end, blanks <paramref name="erase"/> cells after it, and returns the cursor.</summary>
    private void RedrawTail(int erase)
    {
        string tail = _line.ToString(_cursor, _line.Length - _cursor);
        Write(tail);
        Write(new string(' ', erase));
        Back(tail.Length + erase);
    }

    private void Back(int count)
    {
        if (count > 0)
        {
            _output.Write(new string('\b', count));
        }
    }

    private void Write(string text)
    {
        if (text.Length > 0)
        {
            _output.Write(text);
        }
    }
}
