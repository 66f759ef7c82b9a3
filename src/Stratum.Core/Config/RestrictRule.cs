// RestrictRule: one restrict line (ntpd 4.2.8 accopt.html). A rule without a mask on an address
// gets the host mask (all ones) as in ntpd; "restrict default" has neither address nor mask, and
// without -4/-6 applies to both families. Matching (longest mask wins) is the Engine's job.
using System.Net;

namespace Stratum.Core.Config;

/// <summary>An access-control rule.</summary>
/// <param name="Target">default, an address or network, or source.</param>
/// <param name="Address">The address for <see cref="RestrictTarget.Address"/>, else null.</param>
/// <param name="Mask">The mask for <see cref="RestrictTarget.Address"/> (host mask unless given), else null.</param>
/// <param name="Family">-4/-6 as given, or the address's family; Any for a plain default or source.</param>
/// <param name="Flags">The restrictions.</param>
/// <param name="Line">Line of the directive in its file, for messages.</param>
public sealed record RestrictRule(
    RestrictTarget Target,
    IPAddress? Address,
    IPAddress? Mask,
    AddressFamilyHint Family,
    RestrictFlags Flags,
    int Line);
