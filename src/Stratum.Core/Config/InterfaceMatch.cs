// InterfaceMatch: how an interface (nic) rule selects local addresses (ntpd 4.2.8 miscopt.html;
// ntp_io.c MATCH_* values).
namespace Stratum.Core.Config;

/// <summary>The selector of an interface rule.</summary>
public enum InterfaceMatch
{
    /// <summary><c>all</c>: every address except loopback and wildcard ones.</summary>
    All,

    /// <summary><c>ipv4</c>: every IPv4 address.</summary>
    IPv4,

    /// <summary><c>ipv6</c>: every IPv6 address.</summary>
    IPv6,

    /// <summary><c>wildcard</c>: the wildcard sockets (0.0.0.0 and ::).</summary>
    Wildcard,

    /// <summary>An address, or a network as ADDRESS/PREFIX.</summary>
    Address,

    /// <summary>An interface name; shell wildcards (* ? [..]) match case-insensitively.</summary>
    Name,
}
