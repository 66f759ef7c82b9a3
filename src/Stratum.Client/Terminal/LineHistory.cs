// LineHistory: the command lines of one ntpq or ntpdc session, oldest first, for recall with the
// up and down arrows (what libedit/readline keep for ntpq 4.2.8, here in memory only, never in a
// file). A blank line and a repeat of the newest line are not stored; beyond Capacity lines the
// oldest is dropped.
namespace Stratum.Client.Terminal;

/// <summary>Bounded in-memory command history.</summary>
public sealed class LineHistory
{
    public const int DefaultCapacity = 500;

    private readonly List<string> _lines = [];

    public LineHistory(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count => _lines.Count;

    /// <summary>The line at <paramref name="index"/>, 0 being the oldest.</summary>
    public string this[int index] => _lines[index];

    /// <summary>Stores a line unless it is blank or the same as the newest.</summary>
    public void Add(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (string.IsNullOrWhiteSpace(line) || (_lines.Count > 0 && _lines[^1] == line))
        {
            return;
        }

        if (_lines.Count == Capacity)
        {
            _lines.RemoveAt(0);
        }

        _lines.Add(line);
    }
}
