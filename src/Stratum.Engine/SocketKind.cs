// SocketKind: which of the host's sockets a datagram came in on, the first fact the Engine routes by
// (ARCHITECTURE.md §3). A server socket (port 123 on a listening address) carries time requests,
// mode 6 and 7 queries and configured peers' symmetric packets; an association socket (one per
// remote association, on an ephemeral port, RFC 9109) carries only that association's replies (or,
// for a manycast solicitor, every server's answer); a group socket (port 123 on a multicast group or
// a broadcast address) carries broadcasts and manycast requests.
namespace Stratum.Engine;

/// <summary>The kind of socket a datagram arrived on.</summary>
public enum SocketKind : byte
{
    /// <summary>A listening socket on port 123.</summary>
    Server = 1,
    /// <summary>An association's own client socket.</summary>
    Association = 2,
    /// <summary>A socket bound to a multicast group or broadcast address, port 123.</summary>
    Group = 3,
}
