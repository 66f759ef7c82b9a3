// AssociationKind: the directive that created an association (ntp.conf(5) "Configuration
// Commands": server, pool, peer). Broadcast and manycast modes are not implemented; the parser
// warns about them instead.
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
}
