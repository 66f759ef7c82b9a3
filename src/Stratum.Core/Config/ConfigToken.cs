// ConfigToken: one word of an ntp.conf line with its 1-based column, for diagnostics. Quotes are
// already removed ("a b" is one token a b).
namespace Stratum.Core.Config;

/// <summary>A word of a config line.</summary>
internal readonly record struct ConfigToken(string Text, int Column);
