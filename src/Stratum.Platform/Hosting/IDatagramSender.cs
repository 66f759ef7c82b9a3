// IDatagramSender: the network port of the action executor (EngineActionExecutor): an association's
// request to its server from the association's own socket, an answer to the sender of the datagram
// being handled (mode 6 and 7) from the socket it came in on, and association sockets opened and
// closed. The daemon implements it over UDP sockets (DaemonHost), the simulator over its simulated
// network; both then share every other step of carrying out the Engine's actions.
using System.Net;
using Stratum.Engine;

namespace Stratum.Platform.Hosting;

/// <summary>What became of one association packet.</summary>
public enum SendResult
{
    Sent = 0,
    /// <summary>The kernel (or network) refused it.</summary>
    Failed = 1,
    /// <summary>The association has no socket (it could not be bound): nothing was sent.</summary>
    NoSocket = 2,
}

/// <summary>Sends the Engine's datagrams and keeps the association sockets.</summary>
public interface IDatagramSender
{
    /// <summary>Sends <paramref name="packet"/> from association <paramref name="associationId"/>'s
    /// socket to its remote end.</summary>
    SendResult SendToAssociation(int associationId, ReadOnlySpan<byte> packet);

    /// <summary>Sends <paramref name="datagram"/> to the source of the datagram being handled, from the
    /// socket it came in on.</summary>
    void SendAnswer(ReadOnlySpan<byte> datagram);

    /// <summary>Opens association <paramref name="associationId"/>'s own socket toward
    /// <paramref name="remote"/> (<paramref name="name"/> for messages), sending as <paramref name="options"/> say.</summary>
    void OpenAssociationSocket(int associationId, IPEndPoint remote, string name, AssociationSocketOptions options);

    /// <summary>Closes association <paramref name="associationId"/>'s socket.</summary>
    void CloseAssociationSocket(int associationId);
}
