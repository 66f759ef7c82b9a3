// RestrictEntry: one compiled entry of the restriction list as an operator would list it
// (address, mask, flags, whether it needs source port 123, where it came from). Built once when
// the table is compiled, for display (ntpq/ntpdc reslist) and tests; lookups never use it.
using Stratum.Core.Config;

namespace Stratum.Engine.Access;

/// <summary>A restriction list entry, for display.</summary>
/// <param name="Family">IPv4 or IPv6.</param>
/// <param name="Address">The masked address (IPv4 in the low 32 bits).</param>
/// <param name="Mask">The mask bits.</param>
/// <param name="Flags">Restriction flags (without <c>ntpport</c>).</param>
/// <param name="NtpPortOnly">True for an <c>ntpport</c> entry: it matches only source port 123.</param>
/// <param name="Origin">Default, address, source or interface.</param>
public sealed record RestrictEntry(
    ClientAddressFamily Family,
    UInt128 Address,
    UInt128 Mask,
    RestrictFlags Flags,
    bool NtpPortOnly,
    RestrictOrigin Origin);
