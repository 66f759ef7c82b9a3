// SessionVariableList: the variable list an ntpq session keeps between commands (addvars, rmvars,
// clearvars, showvars) and sends with readlist, writelist, mreadlist and clocklist, as ntpq 4.2.8's
// g_varlist: at most 128 names in the order first added, each with a value (empty when none was
// given; showvars then prints "name="). The user's "name[=value][,...]" text is split as ntpq 4.2.8
// splits it: commas and blanks between items, a value may hold double-quoted parts (commas inside
// them kept), blanks around names and values dropped. The request text joins the items with commas
// ("name" or "name=value") and stops, with a warning, before it would pass one 468-octet datagram.
using System.Text;
using Stratum.Core.Mode6;

namespace Stratum.Tools.Ntpq;

/// <summary>An ordered list of (name, value) pairs edited by ntpq commands.</summary>
internal sealed class SessionVariableList
{
    /// <summary>ntpq's MAXLIST.</summary>
    public const int Capacity = 128;

    private const int MaxNameLength = 256;
    private const int MaxValueLength = 2048;

    /// <summary>What nextvar strips around names and values: every character up to the space.</summary>
    private static readonly char[] Blanks = [.. Enumerable.Range(1, 32).Select(c => (char)c)];

    private readonly List<KeyValuePair<string, string>> _items = [];

    public int Count => _items.Count;

    public IReadOnlyList<KeyValuePair<string, string>> Items => _items;

    /// <summary>addvars: each item added, or its value replaced; stops at "Variable list full".</summary>
    public void Add(string text, TextWriter stderr)
    {
        foreach ((string name, string value) in Split(text, stderr))
        {
            int index = IndexOf(name);
            if (index >= 0)
            {
                _items[index] = new(name, value);
                continue;
            }

            if (_items.Count >= Capacity)
            {
                stderr.Write("Variable list full\n");
                return;
            }

            _items.Add(new(name, value));
        }
    }

    /// <summary>rmvars: each named item removed; a name not on the list is reported and skipped.</summary>
    public void Remove(string text, TextWriter stderr)
    {
        foreach ((string name, _) in Split(text, stderr))
        {
            int index = IndexOf(name);
            if (index < 0)
            {
                stderr.Write($"Variable `{name}' not found\n");
                continue;
            }

            _items.RemoveAt(index);
        }
    }

    public void Clear() => _items.Clear();

    /// <summary>showvars: one "name=value" line per item, or "No variables on list".</summary>
    public string Show()
    {
        if (_items.Count == 0)
        {
            return "No variables on list\n";
        }

        var text = new StringBuilder();
        foreach ((string name, string value) in _items)
        {
            text.Append(name).Append('=').Append(value).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The request data: "name" or "name=value" items joined by commas, cut before the
    /// first item that would not fit one datagram (with ntpq's warning).</summary>
    public byte[] RequestData(TextWriter stderr) => RequestData(_items, stderr);

    /// <summary>The request data for any list of pairs (a command's own list, as mreadvar's).</summary>
    public static byte[] RequestData(IReadOnlyList<KeyValuePair<string, string>> items, TextWriter stderr)
    {
        var text = new StringBuilder();
        foreach ((string name, string value) in items)
        {
            int length = name.Length + value.Length + (value.Length > 0 ? 1 : 0) + (text.Length > 0 ? 1 : 0);
            if (text.Length + length > ControlMessage.MaxDataLength)
            {
                stderr.Write($"***Ignoring variables starting with `{name}'\n");
                break;
            }

            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(name);
            if (value.Length > 0)
            {
                text.Append('=').Append(value);
            }
        }

        return Encoding.Latin1.GetBytes(text.ToString());
    }

    /// <summary>A "name[=value][,...]" argument split into its items, as ntpq's nextvar reads them.</summary>
    public static List<(string Name, string Value)> Split(string text, TextWriter stderr)
    {
        var items = new List<(string, string)>();
        int position = 0;
        while (position < text.Length)
        {
            // Between items: commas and blanks (any character up to the space).
            while (position < text.Length && (text[position] == ',' || (text[position] > '\0' && text[position] <= ' ')))
            {
                position++;
            }

            if (position >= text.Length || !IsNameCharacter(text[position]))
            {
                break;
            }

            int nameStart = position;
            while (position < text.Length && IsNameCharacter(text[position]))
            {
                position++;
            }

            string name = text[nameStart..position].Trim(Blanks);
            string value = string.Empty;
            if (position < text.Length && text[position] == '=')
            {
                position++;
                int valueStart = position;
                bool closed = true;
                while (true)
                {
                    while (position < text.Length && IsUnquotedCharacter(text[position]))
                    {
                        position++;
                    }

                    if (position >= text.Length || text[position] != '"')
                    {
                        break;
                    }

                    position++;
                    while (position < text.Length && IsQuotedCharacter(text[position]))
                    {
                        position++;
                    }

                    if (position >= text.Length || text[position] != '"')
                    {
                        closed = false;
                        break;
                    }

                    position++;
                }

                if (!closed)
                {
                    string where = text[nameStart..];
                    stderr.Write($"nextvar: no closing quote, stop: '{(where.Length > 50 ? where[..50] : where)}'\n");
                    break;
                }

                value = text[valueStart..position].Trim(Blanks);
            }

            bool more = position < text.Length && text[position] == ',';
            if (name.Length >= MaxNameLength)
            {
                stderr.Write($"nextvar: runaway name: '{Clip(text[nameStart..])}'\n");
            }
            else if (value.Length >= MaxValueLength)
            {
                stderr.Write($"nextvar: runaway value: '{Clip(value)}'\n");
            }
            else if (name.Length > 0)
            {
                items.Add((name, value));
            }

            if (!more)
            {
                break;
            }
        }

        return items;
    }

    private static string Clip(string text) => text.Length > 50 ? text[..50] : text;

    private static bool IsNameCharacter(char c) => c is not ('\0' or ',' or '=' or '\r' or '\n');

    private static bool IsUnquotedCharacter(char c) => c is not ('\0' or ',' or '"' or '\r' or '\n');

    private static bool IsQuotedCharacter(char c) => c is not ('\0' or '"' or '\r' or '\n');

    private int IndexOf(string name)
    {
        for (int i = 0; i < _items.Count; i++)
        {
            if (_items[i].Key == name)
            {
                return i;
            }
        }

        return -1;
    }
}
