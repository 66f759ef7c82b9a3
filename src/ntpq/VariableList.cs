// VariableList: a mode 6 variable list decoded into (name, value) strings in the order sent, via
// Core's allocation-free reader; ntpq only needs strings to print.
using System.Text;
using Stratum.Core.Mode6;

namespace Stratum.Tools.Ntpq;

/// <summary>Name/value pairs of one response.</summary>
internal sealed class VariableList
{
    private VariableList(List<KeyValuePair<string, string>> items) => Items = items;

    public IReadOnlyList<KeyValuePair<string, string>> Items { get; }

    public static VariableList Parse(ReadOnlySpan<byte> data)
    {
        var items = new List<KeyValuePair<string, string>>();
        var reader = new ControlVariableReader(data);
        while (reader.TryReadNext(out ControlVariable variable))
        {
            items.Add(new(Encoding.ASCII.GetString(variable.Name), Encoding.ASCII.GetString(variable.Value)));
        }

        return new VariableList(items);
    }

    public string? this[string name]
    {
        get
        {
            foreach (KeyValuePair<string, string> item in Items)
            {
                if (item.Key == name)
                {
                    return item.Value;
                }
            }

            return null;
        }
    }
}
