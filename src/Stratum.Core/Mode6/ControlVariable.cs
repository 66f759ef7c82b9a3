// ControlVariable: one "name=value" item of a mode 6 variable list, as spans into the message
// data (draft-ietf-ntp-mode-6-cmds §4). A quoted value keeps its quotes, as ntpq prints it;
// UnquotedValue strips them.
namespace Stratum.Core.Mode6;

/// <summary>A variable name and its raw value text (ASCII octets).</summary>
public readonly ref struct ControlVariable(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
{
    public ReadOnlySpan<byte> Name { get; } = name;

    /// <summary>The value as sent, quotes included; empty for a bare name.</summary>
    public ReadOnlySpan<byte> Value { get; } = value;

    public bool IsQuoted => Value.Length >= 2 && Value[0] == (byte)'"' && Value[^1] == (byte)'"';

    public ReadOnlySpan<byte> UnquotedValue => IsQuoted ? Value[1..^1] : Value;
}
