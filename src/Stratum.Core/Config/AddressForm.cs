// AddressForm: what an address word on a config line turned out to be (see AddressSyntax).
namespace Stratum.Core.Config;

/// <summary>The syntactic kind of an address word.</summary>
internal enum AddressForm
{
    Invalid,
    IPv4,
    IPv6,
    HostName,
}
