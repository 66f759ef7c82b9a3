// AddressFamilyHint: the -4 / -6 qualifier of server, pool, peer and restrict lines (ntp.conf(5),
// "Configuration Commands"). For an address literal the parser fills in the literal's own family;
// for a host name it is what the admin asked for, and the resolver filters by it.
namespace Stratum.Core.Config;

/// <summary>Which address family a config line applies to.</summary>
public enum AddressFamilyHint
{
    /// <summary>No -4 or -6 was given: both families.</summary>
    Any = 0,

    /// <summary>-4, or an IPv4 literal.</summary>
    IPv4 = 4,

    /// <summary>-6, or an IPv6 literal.</summary>
    IPv6 = 6,
}
