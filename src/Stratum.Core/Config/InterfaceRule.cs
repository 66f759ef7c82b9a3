// InterfaceRule: one "interface" or "nic" line (ntpd 4.2.8 miscopt.html). Evaluation against a
// local address lives in InterfaceRules.
using System.Net;

namespace Stratum.Core.Config;

/// <summary>A rule choosing which local addresses ntpd listens on.</summary>
/// <param name="Action">listen, ignore or drop.</param>
/// <param name="Match">What the rule selects.</param>
/// <param name="Name">The interface name (pattern) for <see cref="InterfaceMatch.Name"/>, else null.</param>
/// <param name="Address">The address for <see cref="InterfaceMatch.Address"/>, else null.</param>
/// <param name="PrefixLength">The prefix length of ADDRESS/PREFIX, or null for an exact address.</param>
/// <param name="Line">Line of the directive in its file, for messages.</param>
public sealed record InterfaceRule(
    InterfaceAction Action,
    InterfaceMatch Match,
    string? Name,
    IPAddress? Address,
    int? PrefixLength,
    int Line);
