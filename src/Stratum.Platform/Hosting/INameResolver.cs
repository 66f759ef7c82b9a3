// INameResolver: the name lookup port of the action executor (EngineActionExecutor): the Engine's
// Resolve actions become lookups off the loop (HostResolver's worker thread); the host drains the
// answers on the loop and hands them to NtpEngine.OnResolved.
using System.Net.Sockets;

namespace Stratum.Platform.Hosting;

/// <summary>Queues host name lookups.</summary>
public interface INameResolver
{
    /// <summary>Queues a lookup of <paramref name="name"/>; false when it cannot be queued.</summary>
    bool Request(int token, string name, AddressFamily family);
}
