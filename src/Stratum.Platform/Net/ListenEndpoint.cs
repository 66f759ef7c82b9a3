// ListenEndpoint: one address the daemon serves on, with the interface name ntpd logs
// ("Listen normally on 2 lo 127.0.0.1:123").
using System.Net;

namespace Stratum.Platform.Net;

/// <summary>An address to bind and the interface it belongs to.</summary>
public sealed record ListenEndpoint(IPEndPoint EndPoint, string InterfaceName, bool IsWildcard);
