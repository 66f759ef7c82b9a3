// AssociationKind: the directive that created an association (ntp.conf(5) "Configuration
// Commands": server, pool, peer, broadcast, manycastclient).
namespace Stratum.Core.Config;

/// <summary>The kind of a configured association.</summary>
public enum AssociationKind
{
    /// <summary><c>server ADDRESS</c>: client mode (mode 3) to one server.</summary>
    Server,

    /// <summary><c>pool NAME</c>: a set of client associations from a DNS name with several addresses.</summary>
    Pool,

    /// <summary><c>peer ADDRESS</c>: symmetric active mode (mode 1).</summary>
    Peer,

    /// <summary><c>broadcast ADDRESS</c>: broadcast server mode (mode 5) to a broadcast or multicast address.</summary>
    Broadcast,

    /// <summary><c>manycastclient GROUP</c>: client requests to a multicast group; each server that answers
    /// becomes a client association of its own.</summary>
    ManycastClient,
}
