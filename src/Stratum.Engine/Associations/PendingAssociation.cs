// PendingAssociation: a `server NAME` or `pool NAME` line whose addresses come from DNS (ntpd 4.2.8
// confopt.html), as the Engine's NameMobilizer keeps it until the host's resolver answers.
using System.Net.Sockets;

namespace Stratum.Engine.Associations;

/// <summary>A `server` or `pool` line waiting for its name to resolve.</summary>
/// <param name="Name">The host or pool name.</param>
/// <param name="IsPool">True for `pool`.</param>
/// <param name="Template">The association's options; its address is replaced by each resolved one.</param>
/// <param name="Family">InterNetwork or InterNetworkV6 for -4/-6 on the line, else Unspecified.</param>
public sealed record PendingAssociation(string Name, bool IsPool, RemoteAssociationSettings Template, AddressFamily Family = AddressFamily.Unspecified);
