// SourcePosition: file, line and column of a config word, for diagnostics that point back at an
// earlier line ("first set at ntp.conf:3").
namespace Stratum.Core.Config;

/// <summary>Where a word of the config is.</summary>
internal readonly record struct SourcePosition(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}";
}
