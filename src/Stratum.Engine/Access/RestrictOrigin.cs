// RestrictOrigin: which kind of restrict entry decided a match (ntpd 4.2.8 accopt.html and its
// restriction list: the default entry, configured address entries, dynamic "restrict source"
// entries for association addresses, and the entries ntpd adds for its own interface addresses).
namespace Stratum.Engine.Access;

/// <summary>The kind of entry a <see cref="RestrictMatch"/> came from.</summary>
public enum RestrictOrigin : byte
{
    /// <summary>The family's default entry (configured with "restrict default", or the built-in one without flags).</summary>
    Default = 0,

    /// <summary>A "restrict ADDRESS [mask MASK]" line.</summary>
    Address,

    /// <summary>The "restrict source" template, applied to a configured association's address.</summary>
    Source,

    /// <summary>One of this host's own addresses with source port 123: ignored so ntpd never talks to itself.</summary>
    Interface,

    /// <summary>A multicast source address, or none at all: always ignored.</summary>
    Invalid,
}
