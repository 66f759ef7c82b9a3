// DebugTrace: the debug output of ntpq -d and ntpdc -d (ntpq 4.2.8 `debug` and its TRACE(level, ...)
// lines). The clients write a line only when the level is at least the line's level, to a sink the
// tool supplies (stderr), so the library never touches the console. The level is mutable because
// ntpq's and ntpdc's `debug more|less|no` change it during a session; one instance is shared by
// every client a session opens. Lines are given without a newline; the sink adds it.
using System.Globalization;

namespace Stratum.Client.Diagnostics;

/// <summary>Debug lines at a level, to a sink.</summary>
public sealed class DebugTrace
{
    private readonly Action<string> _sink;

    public DebugTrace(Action<string> sink, int level = 0)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        Level = level;
    }

    /// <summary>ntpq's `debug` variable: 0 is silent, each -d adds one.</summary>
    public int Level { get; set; }

    public bool IsOn(int level) => Level >= level;

    /// <summary>
    /// The tools' `debug [no|more|less]` command (ntpq's and ntpdc's setdebug): without an argument
    /// prints "debug level is N" and returns null; otherwise returns the new level (it may go negative,
    /// as in ntpq) after printing "debug level set to N", or prints "What?" and returns null.
    /// </summary>
    public static int? Command(IReadOnlyList<string> arguments, int level, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        if (arguments.Count == 0)
        {
            output.Write(string.Create(CultureInfo.InvariantCulture, $"debug level is {level}\n"));
            return null;
        }

        switch (arguments[0])
        {
            case "no": level = 0; break;
            case "more": level++; break;
            case "less": level--; break;
            default: output.Write("What?\n"); return null;
        }

        output.Write(string.Create(CultureInfo.InvariantCulture, $"debug level set to {level}\n"));
        return level;
    }

    /// <summary>Writes one line when the level is at least <paramref name="level"/>.</summary>
    public void Write(int level, FormattableString line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (IsOn(level))
        {
            _sink(line.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A title line and the octets as ntpq's dump_hex_printable shows them.</summary>
    public void Dump(int level, string title, ReadOnlySpan<byte> data)
    {
        if (!IsOn(level))
        {
            return;
        }

        _sink(title);
        for (int start = 0; start < data.Length; start += HexDump.RowLength)
        {
            _sink(HexDump.Row(data.Slice(start, Math.Min(HexDump.RowLength, data.Length - start))));
        }
    }
}
