// NameMobilizer: the decisions about `server NAME` and `pool NAME` lines (ntpd 4.2.8 confopt.html);
// the lookups themselves run in the host, off the loop. It asks for a lookup (a Resolve action) of
// every line not yet mobilized, and when an answer comes back (NtpEngine.OnResolved) mobilizes: for
// `server`, one association with the first address; for `pool`, one association per new address (A
// and AAAA) until `tos maxclock` associations exist in all. A failed lookup is logged and retried
// every minute. Pool members are kept under watch: one that stays unreachable for ten polls, or is
// rejected as a falseticker for five checks in a row, is demobilized and the pool resolved again for
// a replacement (never the address just removed, for an hour), as ntpd does with its pool
// associations. Mobilizing and demobilizing go through NtpEngine, which asks the host to open and
// close the association sockets. Time is the loop's monotonic seconds; nothing here does I/O.
using System.Net;
using Stratum.Engine.Selection;

namespace Stratum.Engine.Associations;

/// <summary>Resolves names and pools (through the host) and keeps pools populated.</summary>
public sealed class NameMobilizer
{
    /// <summary>A failed lookup is tried again after this long, seconds.</summary>
    public const double RetrySeconds = 60;

    /// <summary>Pool members are checked this often, seconds.</summary>
    public const double CheckSeconds = 64;

    /// <summary>Polls without any answer after which a pool member is replaced.</summary>
    public const int UnreachablePolls = 10;

    /// <summary>Consecutive checks as a falseticker after which a pool member is replaced.</summary>
    public const int FalsetickerChecks = 5;

    /// <summary>A replaced pool server is not taken again for this long, seconds.</summary>
    public const double ReplacedHoldSeconds = 3600;

    /// <summary>While a lookup is out, the loop looks for its answer this often, seconds.</summary>
    private const double ResolvingPollSeconds = 0.1;

    private readonly List<Entry> _entries = [];
    private readonly int _maxClock;
    private readonly Dictionary<int, int> _falsetickerChecks = [];
    private readonly Dictionary<IPAddress, double> _removedAt = [];
    private double _nextCheck = double.NaN;

    private sealed class Entry(PendingAssociation line)
    {
        public PendingAssociation Line { get; } = line;

        public bool Resolving { get; set; }

        public double RetryAt { get; set; } = double.NaN;

        public bool Done { get; set; }
    }

    /// <param name="pending">The lines to resolve.</param>
    /// <param name="maxClock">`tos maxclock`: most associations a pool fills up to.</param>
    public NameMobilizer(IReadOnlyList<PendingAssociation> pending, int maxClock)
    {
        ArgumentNullException.ThrowIfNull(pending);
        foreach (PendingAssociation line in pending)
        {
            _entries.Add(new Entry(line));
        }

        _maxClock = maxClock;
    }

    /// <summary>True while a lookup is out, so the loop keeps its deadline short.</summary>
    public bool Busy => _entries.Exists(static e => e.Resolving);

    /// <summary>Adds a line to resolve (ntpq :config); it is looked up at the next timer.</summary>
    internal void Add(PendingAssociation line)
    {
        ArgumentNullException.ThrowIfNull(line);
        _entries.Add(new Entry(line));
    }

    /// <summary>Asks for due lookups and watches pools. Returns the monotonic second it needs to run
    /// again.</summary>
    internal double OnTimer(LoopTime now, NtpEngine engine, EngineActions actions)
    {
        double monoSeconds = now.MonoSeconds;
        for (int token = 0; token < _entries.Count; token++)
        {
            Entry entry = _entries[token];
            if (!entry.Done && !entry.Resolving && !(monoSeconds < entry.RetryAt))
            {
                entry.Resolving = true;
                entry.RetryAt = monoSeconds + RetrySeconds;
                actions.Resolve(token, entry.Line.Name, entry.Line.Family);
            }
        }

        if (double.IsNaN(_nextCheck))
        {
            _nextCheck = monoSeconds + CheckSeconds;
        }
        else if (monoSeconds >= _nextCheck)
        {
            _nextCheck = monoSeconds + CheckSeconds;
            WatchPools(engine, monoSeconds, actions);
        }

        double next = _nextCheck;
        foreach (Entry entry in _entries)
        {
            if (entry.Resolving)
            {
                next = Math.Min(next, monoSeconds + ResolvingPollSeconds);
            }
            else if (!entry.Done)
            {
                next = Math.Min(next, entry.RetryAt);
            }
        }

        return next;
    }

    /// <summary>The host could not queue lookup <paramref name="token"/>: it is tried again after <see cref="RetrySeconds"/>.</summary>
    internal void OnRefused(int token)
    {
        if (token >= 0 && token < _entries.Count)
        {
            _entries[token].Resolving = false;
        }
    }

    /// <summary>The answer to lookup <paramref name="token"/>: <paramref name="addresses"/> in the
    /// resolver's order, empty with <paramref name="error"/> on failure.</summary>
    internal void OnResolved(int token, IReadOnlyList<IPAddress> addresses, string? error, LoopTime now, NtpEngine engine, EngineActions actions)
    {
        if (token < 0 || token >= _entries.Count)
        {
            return;
        }

        Entry entry = _entries[token];
        entry.Resolving = false;
        if (addresses.Count == 0)
        {
            actions.Notice(NoticeKind.Info, $"cannot resolve {entry.Line.Name}: {error ?? "no address"}; retrying in {RetrySeconds:0} s");
            return;
        }

        SourceManager sources = engine.Sources;
        if (!entry.Line.IsPool)
        {
            entry.Done = true;
            engine.MobilizeAssociation(entry.Line.Template with { Address = new IPEndPoint(addresses[0], 123) }, now, actions);
            return;
        }

        foreach (IPAddress address in addresses)
        {
            if (sources.Sources.Count >= _maxClock)
            {
                break;
            }

            if (IsInUse(sources, address) || (_removedAt.TryGetValue(address, out double removed) && now.MonoSeconds - removed < ReplacedHoldSeconds))
            {
                continue;
            }

            actions.Notice(NoticeKind.Info, $"Soliciting pool server {address}");
            engine.MobilizeAssociation(entry.Line.Template with
            {
                Address = new IPEndPoint(address, 123),
                DisplayName = address.ToString(),
                Pool = entry.Line.Name,
            }, now, actions);
        }

        // A pool keeps asking until it has filled up to maxclock.
        entry.Done = sources.Sources.Count >= _maxClock;
    }

    private void WatchPools(NtpEngine engine, double monoSeconds, EngineActions actions)
    {
        var replace = new List<(int Id, string Pool, string Reason)>();
        foreach (RemoteSource source in engine.Sources.Sources)
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
            RemoteSource? source = engine.Sources.Sources.FirstOrDefault(s => s.Id == id);
            actions.Notice(NoticeKind.Info, $"pool server {source?.Association.Settings.DisplayName} removed ({reason}); soliciting a replacement from {pool}");
            _falsetickerChecks.Remove(id);
            if (source is not null)
            {
                _removedAt[source.Association.Settings.Address.Address] = monoSeconds;
            }

            engine.DemobilizeAssociation(id, actions);
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
}
