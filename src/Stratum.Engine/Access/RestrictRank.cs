// RestrictRank: the order in which entries with the same address and mask are tried (ntpd 4.2.8
// accopt.html: the interface entries come first so ntpd never answers itself; an `ntpport` entry
// is "more specific" than one without; a configured entry outranks a "restrict source" entry
// made for an association's address, so an operator's host line always wins).
namespace Stratum.Engine.Access;

/// <summary>Precedence among entries for the same address and mask, first wins.</summary>
internal enum RestrictRank : byte
{
    /// <summary>One of our own addresses, source port 123 only: ignore.</summary>
    Interface = 0,

    /// <summary>A configured entry with <c>ntpport</c>.</summary>
    StaticNtpPort = 1,

    /// <summary>A configured entry (or the built-in default).</summary>
    Static = 2,

    /// <summary>A "restrict source" entry whose template has <c>ntpport</c>.</summary>
    SourceNtpPort = 3,

    /// <summary>A "restrict source" entry.</summary>
    Source = 4,
}
