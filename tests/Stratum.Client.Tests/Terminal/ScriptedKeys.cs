// ScriptedKeys: a key source for line-editor tests, the keys a user would type, and a one-row
// screen model that replays the editor's echo (printable characters overwrite, '\b' moves left,
// '\n' starts a new row) so a test can check what the terminal shows, not only the returned line.
using System.Text;
using Stratum.Client.Terminal;

namespace Stratum.Client.Tests.Terminal;

internal sealed class ScriptedKeys(IEnumerable<ConsoleKeyInfo> keys) : IKeySource
{
    private readonly Queue<ConsoleKeyInfo> _keys = new(keys);

    public static ConsoleKeyInfo Enter => new('\r', ConsoleKey.Enter, false, false, false);

    public static ConsoleKeyInfo Up => new('\0', ConsoleKey.UpArrow, false, false, false);

    public static ConsoleKeyInfo Down => new('\0', ConsoleKey.DownArrow, false, false, false);

    public static ConsoleKeyInfo Left => new('\0', ConsoleKey.LeftArrow, false, false, false);

    public static ConsoleKeyInfo Right => new('\0', ConsoleKey.RightArrow, false, false, false);

    public static ConsoleKeyInfo Home => new('\0', ConsoleKey.Home, false, false, false);

    public static ConsoleKeyInfo End => new('\0', ConsoleKey.End, false, false, false);

    public static ConsoleKeyInfo Delete => new('\0', ConsoleKey.Delete, false, false, false);

    public static ConsoleKeyInfo Backspace => new('\x7f', ConsoleKey.Backspace, false, false, false);

    /// <summary>Ctrl and a letter as .NET reports it on a terminal: the control character and the letter's key.</summary>
    public static ConsoleKeyInfo Ctrl(char letter) =>
        new((char)(char.ToUpperInvariant(letter) - 'A' + 1), ConsoleKey.A + (char.ToUpperInvariant(letter) - 'A'), false, false, true);

    public static IEnumerable<ConsoleKeyInfo> Text(string text)
    {
        foreach (char c in text)
        {
            yield return new ConsoleKeyInfo(c, c == ' ' ? ConsoleKey.Spacebar : ConsoleKey.NoName, false, false, false);
        }
    }

    public static ScriptedKeys Of(params object[] parts)
    {
        var keys = new List<ConsoleKeyInfo>();
        foreach (object part in parts)
        {
            switch (part)
            {
                case string text: keys.AddRange(Text(text)); break;
                case ConsoleKeyInfo key: keys.Add(key); break;
                default: throw new ArgumentException("a string or a ConsoleKeyInfo", nameof(parts));
            }
        }

        return new ScriptedKeys(keys);
    }

    public int Remaining => _keys.Count;

    public bool TryReadKey(out ConsoleKeyInfo key) => _keys.TryDequeue(out key);

    /// <summary>The rows a terminal shows after <paramref name="echo"/>, trailing blanks cut.</summary>
    public static IReadOnlyList<string> Screen(string echo)
    {
        var rows = new List<string>();
        var row = new StringBuilder();
        int column = 0;
        foreach (char c in echo)
        {
            switch (c)
            {
                case '\n':
                    rows.Add(row.ToString().TrimEnd());
                    row.Clear();
                    column = 0;
                    break;
                case '\b':
                    Assert.True(column > 0, "backspace at column 0");
                    column--;
                    break;
                default:
                    Assert.False(char.IsControl(c), $"control character U+{(int)c:X4} echoed");
                    if (column == row.Length)
                    {
                        row.Append(c);
                    }
                    else
                    {
                        row[column] = c;
                    }

                    column++;
                    break;
            }
        }

        rows.Add(row.ToString().TrimEnd());
        return rows;
    }
}
