// VariableList: a mode 6 variable list decoded into (name, value) strings in the order sent, via
// Core's allocation-free reader; ntpq only needs strings to print. Names and values are the server's
// text: control characters (and any octet outside printable ASCII) come out escaped, "\x1b"
// (TerminalText), so a hostile server cannot drive the terminal. The octets as sent stay available
// (one char per octet) for the few decoders that must see them, such as the peers refid column.
using System.Text;
using Stratum.Client.Display;
using Stratum.Core.Mode6;

namespace Stratum.Tools.Ntpq;

/// <summary>Name/value pairs of one response.</summary>
internal sealed class VariableList
{
    private readonly List<string> _rawValues;

    private VariableList(List<KeyValuePair<string, string>> items, List<string> rawValues)
    {
        Items = items;
        _rawValues = rawValues;
    }

    /// <summary>The pairs, control characters escaped: safe to print.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Items { get; }

    public static VariableList Parse(ReadOnlySpan<byte> data)
    {
        var items = new List<KeyValuePair<string, string>>();
        var rawValues = new List<string>();
        var reader = new ControlVariableReader(data);
        while (reader.TryReadNext(out ControlVariable variable))
        {
            items.Add(new(TerminalText.FromWire(variable.Name), TerminalText.FromWire(variable.Value)));
            rawValues.Add(Encoding.Latin1.GetString(variable.Value));
        }

        return new VariableList(items, rawValues);
    }

    /// <summary>The escaped value of <paramref name="name"/>, or null.</summary>
    public string? this[string name] => IndexOf(name) is int index and >= 0 ? Items[index].Value : null;

    /// <summary>The value of <paramref name="name"/> as sent, one char per octet, NOT safe to print; or null.</summary>
    public string? RawValue(string name) => IndexOf(name) is int index and >= 0 ? _rawValues[index] : null;

    private int IndexOf(string name)
    {
        for (int i = 0; i < Items.Count; i++)
        {
            if (Items[i].Key == name)
            {
                return i;
            }
        }

        return -1;
    }
}
