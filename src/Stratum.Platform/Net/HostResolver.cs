// HostResolver: name resolution for `server NAME` and `pool NAME` lines off the event loop
// (ARCHITECTURE.md §4: resolving host names is one of the few jobs of other threads). The loop
// queues requests; one worker thread calls the system resolver and queues the answers back; the
// loop drains them each iteration. The worker starts with the first request, never reads clocks
// and never touches NTP sockets. Queues are bounded, so a flood of requests cannot grow memory
// without limit. It is the action executor's name resolver (INameResolver).
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Stratum.Platform.Hosting;

namespace Stratum.Platform.Net;

/// <summary>What the resolver found for one request.</summary>
/// <param name="Token">The caller's token from <see cref="HostResolver.Request"/>.</param>
/// <param name="Name">The name asked for.</param>
/// <param name="Addresses">Addresses in the resolver's order (empty on failure).</param>
/// <param name="Error">The resolver's message on failure ("Name or service not known").</param>
public sealed record ResolveResult(int Token, string Name, IReadOnlyList<IPAddress> Addresses, string? Error);

/// <summary>Resolves host names on a worker thread for the event loop.</summary>
public sealed class HostResolver : INameResolver, IDisposable
{
    private const int MaxPending = 256;

    private readonly BlockingCollection<(int Token, string Name, AddressFamily Family)> _requests = new(MaxPending);
    private readonly ConcurrentQueue<ResolveResult> _results = new();
    private readonly Func<string, IPAddress[]> _resolve;
    private readonly Thread _worker;

    /// <param name="resolve">The resolver (System.Net.Dns by default; tests inject one).</param>
    public HostResolver(Func<string, IPAddress[]>? resolve = null)
    {
        _resolve = resolve ?? Dns.GetHostAddresses;
        _worker = new Thread(Work) { IsBackground = true, Name = "resolver" };
    }

    /// <summary>Queues a lookup; false when too many are pending. <paramref name="family"/> is
    /// InterNetwork, InterNetworkV6, or Unspecified for both (-4/-6 on the config line).</summary>
    public bool Request(int token, string name, AddressFamily family = AddressFamily.Unspecified)
    {
        if ((_worker.ThreadState & ThreadState.Unstarted) != 0)
        {
            // The worker starts with the first lookup: a daemon with nothing to resolve runs no thread.
            _worker.Start();
        }

        return _requests.TryAdd((token, name, family));
    }

    /// <summary>Hands every finished lookup to <paramref name="onResult"/>; call on the loop thread.</summary>
    public int Drain(Action<ResolveResult> onResult)
    {
        ArgumentNullException.ThrowIfNull(onResult);
        int count = 0;
        while (_results.TryDequeue(out ResolveResult? result))
        {
            onResult(result);
            count++;
        }

        return count;
    }

    private void Work()
    {
        foreach ((int token, string name, AddressFamily family) in _requests.GetConsumingEnumerable())
        {
            try
            {
                IPAddress[] all = _resolve(name);
                var chosen = new List<IPAddress>(all.Length);
                foreach (IPAddress address in all)
                {
                    if (family == AddressFamily.Unspecified || address.AddressFamily == family)
                    {
                        chosen.Add(address);
                    }
                }

                _results.Enqueue(new ResolveResult(token, name, chosen, chosen.Count == 0 ? "no address of the requested family" : null));
            }
            catch (SocketException e)
            {
                _results.Enqueue(new ResolveResult(token, name, [], e.Message));
            }
            catch (ArgumentException e)
            {
                _results.Enqueue(new ResolveResult(token, name, [], e.Message));
            }
        }
    }

    public void Dispose()
    {
        _requests.CompleteAdding();
        if ((_worker.ThreadState & ThreadState.Unstarted) == 0)
        {
            _worker.Join(TimeSpan.FromSeconds(2));
        }

        _requests.Dispose();
    }
}
