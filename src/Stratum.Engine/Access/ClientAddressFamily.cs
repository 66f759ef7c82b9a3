// ClientAddressFamily: which address family a ClientAddress holds. The values are Stratum's own
// (not AF_INET/AF_INET6) so the Engine stays independent of the operating system's constants.
namespace Stratum.Engine.Access;

/// <summary>The family of a <see cref="ClientAddress"/>.</summary>
public enum ClientAddressFamily : byte
{
    /// <summary>No address (an unknown or unsupported source).</summary>
    None = 0,

    /// <summary>IPv4: the address is the low 32 bits of the value.</summary>
    IPv4 = 4,

    /// <summary>IPv6: all 128 bits.</summary>
    IPv6 = 6,
}
