// NameMobilizer: the `server NAME` and `pool NAME` lines whose addresses come from DNS (ntpd 4.2.8
// confopt.html). Names are resolved off the loop (HostResolver); when an answer arrives the daemon
// mobilizes: for `server`, one association with the first address; for `pool`, one association per new
// address (A and AAAA) until `tos maxclock` associations exist in all. A failed lookup is logged and
// retried every minute. Pool members are kept under watch: one that stays unreachable for ten polls, or is
// rejected as a falseticker for five checks in a row, is demobilized and the pool resolved again for a
// replacement, as ntpd does with its pool associations. Runs on the loop thread; the host supplies
// mobilize/demobilize callbacks that open and close the association sockets.
using System.Net;
using System.Net.Sockets;
using Stratum.Engine;
using Stratum.Engine.Associations;
using Stratum.Engine.Selection;
using Stratum.Platform.Net;

namespace Stratum.Platform.Hosting;

/// <summary>A `server` or `pool` line waiting for its name to resolve.</summary>
/// <param name="Name">The host or pool name.</param>
/// <param name="IsPool">True for `pool`.</param>
/// <param name="Template">The association's options; its address is replaced by each resolved one.</param>
/// <param name="Family">InterNetwork or InterNetworkV6 for -4/-6 on the line, else Unspecified.</param>
public sealed record PendingAssociation(string Name, bool IsPool, RemoteAssociationSettings Template, AddressFamily Family = AddressFamily.Unspecified);

/// <summary>Resolves names and pools and keeps pools populated.</summary>
public sealed class NameMobilizer : IDisposable
{
    /// <summary>A failed lookup is tried again after this long, seconds.</summary>
    public const double RetrySeconds = 60;

    /// <summary>Pool members are checked this often, seconds.</summary>
    public const double CheckSeconds = 64;

    /// <summary>Polls without any answer after which a pool member is replaced.</summary>
    public const int UnreachablePolls = 10;

    /// <summary>Consecutive checks as a falseticker after which a pool member is replaced.</summary>
    public const int FalsetickerChecks = 5;

    private readonly List<Entry> _entries = [];
    private readonly HostResolver _resolver;
    private readonly bool _ownsResolver;
    private readonly int _maxClock;
    private readonly Dictionary<int, int> _falsetickerChecks = [];
    private readonly Dictionary<IPAddress, double> _removedAt = [];
    private double _now;

    /// <summary>A replaced pool server is not taken again for this long, seconds.</summary>
    public const double ReplacedHoldSeconds = 3600;
    private double _nextCheck = double.NaN;

    private sealed class Entry(PendingAssociation line)
    {
        public PendingAssociation Line { get; } = line;

        public bool Resolving { get; set; }

        public double RetryAt { get; set; } = double.NaN;

        public bool Done { get; set; }
    }

    /// <param name="pending">The lines to resolve.</param>
    /// <param name="resolver">The resolver (one owned by this object when null).</param>
    /// <param name="maxClock">`tos maxclock`: most associations a pool fills up to.</param>
    public NameMobilizer(IReadOnlyList<PendingAssociation> pending, HostResolver? resolver = null, int maxClock = 10)
    {
        ArgumentNullException.ThrowIfNull(pending);
        foreach (PendingAssociation line in pending)
        {
            _entries.Add(new Entry(line));
        }

        _ownsResolver = resolver is null;
        _resolver = resolver ?? new HostResolver();
        _maxClock = maxClock;
    }

    /// <summary>Adds a line to resolve (ntpq :config); it is looked up at the next <see cref="OnTimer"/>.</summary>
    public void Add(PendingAssociation line)
    {
        ArgumentNullException.ThrowIfNull(line);
        _entries.Add(new Entry(line));
    }

    /// <summary>Opens an association for a resolved address and returns its id.</summary>
    public Func<RemoteAssociationSettings, int>? Mobilize { get; set; }

    /// <summary>Closes association <c>id</c>.</summary>
    public Action<int>? Demobilize { get; set; }

    /// <summary>Lines to log ("Soliciting pool server …", "cannot resolve …").</summary>
    public Action<string>? Log { get; set; }

    /// <summary>True while anything is waiting for the resolver, so the host keeps its deadline short.</summary>
    public bool Busy => _entries.Exists(static e => e.Resolving);

    /// <summary>Call from the loop: sends due lookups, takes finished ones, watches pools. Returns the next
    /// monotonic second it needs to run again.</summary>
    public double OnTimer(double monoSeconds, SourceManager sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _now = monoSeconds;
        _resolver.Drain(result => OnResolved(result, sources));
        foreach (Entry entry in _entries)
        {
            if (!entry.Done && !entry.Resolving && !(monoSeconds < entry.RetryAt))
            {
                entry.Resolving = _resolver.Request(_entries.IndexOf(entry), entry.Line.Name, entry.Line.Family);
                entry.RetryAt = monoSeconds + RetrySeconds;
            }
        }

        if (double.IsNaN(_nextCheck))
        {
            _nextCheck = monoSeconds + CheckSeconds;
        }
        else if (monoSeconds >= _nextCheck)
        {
            _nextCheck = monoSeconds + CheckSeconds;
            WatchPools(sources, monoSeconds);
        }

        double next = _nextCheck;
        foreach (Entry entry in _entries)
        {
            if (entry.Resolving)
            {
                next = Math.Min(next, monoSeconds + 0.1);
            }
            else if (!entry.Done)
            {
                next = Math.Min(next, entry.RetryAt);
            }
        }

        return next;
    }

    private void OnResolved(ResolveResult result, SourceManager sources)
    {
        if (result.Token < 0 || result.Token >= _entries.Count)
        {
            return;
        }

        Entry entry = _entries[result.Token];
        entry.Resolving = false;
        if (result.Addresses.Count == 0)
        {
            Log?.Invoke($"cannot resolve {entry.Line.Name}: {result.Error ?? "no address"}; retrying in {RetrySeconds:0} s");
            return;
        }

        if (!entry.Line.IsPool)
        {
            entry.Done = true;
            IPAddress address = result.Addresses[0];
            Mobilize?.Invoke(entry.Line.Template with { Address = new IPEndPoint(address, 123) });
            return;
        }

        foreach (IPAddress address in result.Addresses)
        {
            if (sources.Sources.Count >= _maxClock)
            {
                break;
            }

            if (IsInUse(sources, address) || (_removedAt.TryGetValue(address, out double removed) && _now - removed < ReplacedHoldSeconds))
            {
                continue;
            }

            Log?.Invoke($"Soliciting pool server {address}");
            Mobilize?.Invoke(entry.Line.Template with
            {
                Address = new IPEndPoint(address, 123),
                DisplayName = address.ToString(),
                Pool = entry.Line.Name,
            });
        }

        // A pool keeps asking until it has filled up to maxclock.
        entry.Done = sources.Sources.Count >= _maxClock;
    }

    private void WatchPools(SourceManager sources, double monoSeconds)
    {
        var replace = new List<(int Id, string Pool, string Reason)>();
        foreach (RemoteSource source in sources.Sources)
        {
            if (source.Association.Settings.Pool is not { } pool)
            {
                continue;
            }

            // Polls, not packets: iburst alone sends eight packets in the first poll.
            if (!source.Association.IsReachable && source.Association.UnansweredPolls >= UnreachablePolls)
            {
                replace.Add((source.Id, pool, "unreachable"));
                continue;
            }

            int checks = source.Rejection == RejectionReason.Falseticker ? _falsetickerChecks.GetValueOrDefault(source.Id) + 1 : 0;
            _falsetickerChecks[source.Id] = checks;
            if (checks >= FalsetickerChecks)
            {
                replace.Add((source.Id, pool, "falseticker"));
            }
        }

        foreach ((int id, string pool, string reason) in replace)
        {
            RemoteSource? source = sources.Sources.FirstOrDefault(s => s.Id == id);
            Log?.Invoke($"pool server {source?.Association.Settings.DisplayName} removed ({reason}); soliciting a replacement from {pool}");
            _falsetickerChecks.Remove(id);
            if (source is not null)
            {
                _removedAt[source.Association.Settings.Address.Address] = monoSeconds;
            }

            Demobilize?.Invoke(id);
            Entry? entry = _entries.Find(e => e.Line.IsPool && e.Line.Name == pool);
            if (entry is not null)
            {
                entry.Done = false;
                entry.RetryAt = monoSeconds;
            }
        }
    }

    private static bool IsInUse(SourceManager sources, IPAddress address)
    {
        foreach (RemoteSource source in sources.Sources)
        {
            if (source.Association.Settings.Address.Address.Equals(address))
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose()
    {
        if (_ownsResolver)
        {
            _resolver.Dispose();
        }
    }
}
