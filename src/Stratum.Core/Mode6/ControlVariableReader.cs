// ControlVariableReader: walks a mode 6 variable list ("name=value, name2=\"quoted, text\"\r\n…")
// as ntpd writes it and ntpq's nextvar() reads it (draft-ietf-ntp-mode-6-cmds §4): items are
// separated by commas; spaces, CR and LF around them are skipped; a value in double quotes may
// contain commas; a name without '=' has an empty value (a READVAR request list). Allocation-free;
// malformed text never throws: an unterminated quote runs to the end of the data.
namespace Stratum.Core.Mode6;

/// <summary>Enumerates the variables of a list; use with foreach-free <see cref="TryReadNext"/>.</summary>
public ref struct ControlVariableReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    /// <summary>Reads the next item; false at the end of the data.</summary>
    public bool TryReadNext(out ControlVariable variable)
    {
        variable = default;
        _rest = _rest.TrimStart(" \t\r\n,"u8);
        if (_rest.IsEmpty)
        {
            return false;
        }

        int nameEnd = _rest.IndexOfAny("=,"u8);
        if (nameEnd < 0)
        {
            variable = new ControlVariable(TrimEnd(_rest), default);
            _rest = default;
            return true;
        }

        ReadOnlySpan<byte> name = TrimEnd(_rest[..nameEnd]);
        if (_rest[nameEnd] == (byte)',')
        {
            variable = new ControlVariable(name, default);
            _rest = _rest[(nameEnd + 1)..];
            return true;
        }

        ReadOnlySpan<byte> afterEquals = _rest[(nameEnd + 1)..].TrimStart(" \t"u8);
        int valueEnd;
        if (!afterEquals.IsEmpty && afterEquals[0] == (byte)'"')
        {
            int close = afterEquals[1..].IndexOf((byte)'"');
            valueEnd = close < 0 ? afterEquals.Length : close + 2;
            int comma = afterEquals[valueEnd..].IndexOf((byte)',');
            variable = new ControlVariable(name, afterEquals[..valueEnd]);
            _rest = comma < 0 ? default : afterEquals[(valueEnd + comma + 1)..];
            return true;
        }

        valueEnd = afterEquals.IndexOf((byte)',');
        if (valueEnd < 0)
        {
            variable = new ControlVariable(name, TrimEnd(afterEquals));
            _rest = default;
            return true;
        }

        variable = new ControlVariable(name, TrimEnd(afterEquals[..valueEnd]));
        _rest = afterEquals[(valueEnd + 1)..];
        return true;
    }

    private static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> text) => text.TrimEnd(" \t\r\n\0"u8);
}
