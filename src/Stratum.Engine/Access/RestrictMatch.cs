// RestrictMatch: the outcome of a restrict lookup — the flags that apply to one source address
// and port, and which entry supplied them (for counters and the MRU list; the entry's hit count
// for ntpq reslist is kept by the table itself).
using Stratum.Core.Config;

namespace Stratum.Engine.Access;

/// <summary>The restrictions for one packet's source.</summary>
/// <param name="Flags">The restriction flags; <c>ntpport</c> is a match modifier and never appears here.</param>
/// <param name="Origin">The kind of entry that matched.</param>
/// <param name="PrefixLength">The matched entry's mask length (0 for default; -1 for a non-contiguous mask).</param>
public readonly record struct RestrictMatch(RestrictFlags Flags, RestrictOrigin Origin, int PrefixLength)
{
    public bool Has(RestrictFlags flag) => (Flags & flag) != 0;
}
