// KeyAccessEntry: one item of a key's optional access list, the fourth column of a keys file
// line ("1 SHA1 <hex> 192.0.2.1,2001:db8::/32"; ntp.keys(5) of ntpd 4.2.8p10 and later): the
// addresses that may use the key. ntpd's rule: an address without "/bits" is a single host, and a
// prefix longer than the family allows is clamped to the whole address.
using System.Net;

namespace Stratum.Core.Auth;

/// <summary>An address and the number of leading bits that must match.</summary>
/// <param name="Address">IPv4 or IPv6 address.</param>
/// <param name="PrefixLength">Leading bits compared: 0..32 for IPv4, 0..128 for IPv6.</param>
public sealed record KeyAccessEntry(IPAddress Address, int PrefixLength);
