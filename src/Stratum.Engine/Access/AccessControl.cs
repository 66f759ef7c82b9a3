// AccessControl: restrict lookups, the MRU list and rate limits together, for the server path
// (ServerResponder) and the control-query gate in front of mode 6/7. ntpd 4.2.8 (accopt.html,
// "discard" and the restrict flags) decides in this order for each datagram: its source's
// restrict entry; `ignore`; the monitor list records the packet and scores its rate; modes 6/7
// then face `noquery`, time requests `noserve`, `version`, `notrust`, `nopeer` and — for `limited`
// sources — the rate: drop, or a RATE kiss-o'-death with `kod`, the KoDs themselves limited to
// about one per average interval.
// Deviations, each for a reason:
// - Leak replies: a `limited` client over the rate still gets one normal reply per average
//   interval (2^average s), so a legitimate but misconfigured client is slowed to the permitted
//   rate instead of being left without time (chrony's "leak" and NTPsec do similarly). A KoD
//   counts as that interval's reply. Off with RateLimitSettings.LeakReplies = false.
// - Control queries are rate limited whatever the flags (RateLimitSettings explains why): per
//   client through its MRU entry, and in total, which also covers sources the full list did not
//   record.
// - Packets from `ignore`d sources are not recorded in the MRU list, so a blocked flood cannot
//   push real clients out of it. With `disable monitor` (AccessSettings.Monitor false) nothing is.
// Restrict hit counts (ntpq reslist): every Match counts on the deciding entry of the table in
// force; a recompile (SetInterfaceAddresses, SetSourceAddresses, AddRestrictions, Adopt) carries
// the counts over entry by entry. With --server-threads each extra loop has its own AccessControl
// (its own MRU list and rate limits, one writer per table); it follows the main loop's restrict
// table by adopting the main loop's Inputs from the server snapshot whenever they change (a
// restrict line added by ntpq :config, an association mobilized), and the main loop's
// IncludeHitsOf registers it so that HitsOf sums its counts, for the entries the main table has.
using Stratum.Core.Config;
using Stratum.Core.Time;

namespace Stratum.Engine.Access;

/// <summary>The access-control state of the server.</summary>
public sealed class AccessControl
{
    private long _totalQueryArrival;
    private AccessControl[] _hitPeers = [];

    /// <param name="settings">Rules and limits.</param>
    /// <param name="seed">Secret for the MRU list's hash and draws.</param>
    /// <param name="sourceAddresses">Addresses of configured associations ("restrict source").</param>
    public AccessControl(AccessSettings settings, ulong seed, IEnumerable<ClientAddress>? sourceAddresses = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        Inputs = new RestrictionInputs(settings.Restrictions, [.. sourceAddresses ?? []], []);
        Restrictions = Inputs.Compile();
        Mru = new MruList(settings.Mru, seed);
    }

    /// <summary>No restrictions, default limits (tests and tools).</summary>
    public static AccessControl Unrestricted(ulong seed = 0x5EED) => new(AccessSettings.Default, seed);

    public AccessSettings Settings { get; }

    /// <summary>The compiled restrict list now in force.</summary>
    public RestrictionTable Restrictions { get; private set; }

    /// <summary>What <see cref="Restrictions"/> was compiled from; a new instance after every change.</summary>
    public RestrictionInputs Inputs { get; private set; }

    /// <summary>Recent clients (ntpq mrulist).</summary>
    public MruList Mru { get; }

    public RateLimitSettings RateLimits => Settings.RateLimits;

    /// <summary>Recompiles the table with this host's addresses (the host knows them once its
    /// sockets are bound): each gets ntpd's "ignore, ntpport" interface entry.</summary>
    public void SetInterfaceAddresses(IEnumerable<ClientAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        Adopt(Inputs with { Interfaces = [.. addresses] });
    }

    /// <summary>Recompiles the table with the current association addresses ("restrict source").</summary>
    public void SetSourceAddresses(IEnumerable<ClientAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        Adopt(Inputs with { Sources = [.. addresses] });
    }

    /// <summary>Adds restrict lines received at run time (ntpq :config) after the configured ones;
    /// as in ntpd, a line for an address and mask already listed adds its flags to that entry.</summary>
    public void AddRestrictions(IEnumerable<RestrictRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Adopt(Inputs with { Rules = [.. Inputs.Rules, .. rules] });
    }

    /// <summary>Compiles <paramref name="inputs"/> into the table in force, carrying the hit counts
    /// over; nothing when they are already in force. An extra server loop adopts the main loop's
    /// inputs this way, on its own thread.</summary>
    public void Adopt(RestrictionInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (ReferenceEquals(inputs, Inputs))
        {
            return;
        }

        RestrictionTable next = inputs.Compile();
        next.CarryHitsFrom(Restrictions);
        Restrictions = next;
        Inputs = inputs;
    }

    /// <summary>The restrictions for a source; counts a hit on the entry that decided them.</summary>
    public RestrictMatch Match(in ClientAddress source) => Restrictions.Match(source);

    /// <summary>Counts <paramref name="other"/>'s restrict hits with ours in <see cref="HitsOf"/>:
    /// the access control of an extra server loop (--server-threads) that answers part of the same
    /// clients. Call on the owner's thread before <paramref name="other"/> is used elsewhere.</summary>
    public void IncludeHitsOf(AccessControl other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this) || Array.IndexOf(_hitPeers, other) >= 0)
        {
            return;
        }

        _hitPeers = [.. _hitPeers, other];
    }

    /// <summary>Packets that <paramref name="entry"/> (one of <see cref="Restrictions"/>' entries)
    /// decided, here and in the access controls added with <see cref="IncludeHitsOf"/>.</summary>
    public long HitsOf(RestrictEntry entry)
    {
        long hits = Restrictions.HitsOf(entry);
        foreach (AccessControl peer in _hitPeers)
        {
            hits += peer.Restrictions.HitsOf(entry);
        }

        return hits;
    }

    /// <summary>Records a time request (mode 1 or 3) in the MRU list and applies the rate limit
    /// when the source's entry is `limited`.</summary>
    /// <param name="client">The source.</param>
    /// <param name="flags">Its restrict flags.</param>
    /// <param name="versionMode">The request's first byte.</param>
    /// <param name="nowMono">Receive time on the monotonic clock, ns.</param>
    /// <param name="receiveTime">Receive time on the disciplined clock.</param>
    public TimeAdmission AdmitTimeRequest(in ClientAddress client, RestrictFlags flags, byte versionMode, long nowMono, NtpTimestamp receiveTime)
    {
        int slot = Record(client, flags, versionMode, nowMono, receiveTime, out RateVerdict verdict);
        if ((flags & RestrictFlags.Limited) == 0 || verdict == RateVerdict.Within)
        {
            return TimeAdmission.Serve;
        }

        long headway = RateLimits.HeadwaySeconds * LoopTime.NanosecondsPerSecond;
        if (verdict == RateVerdict.ExceededKodAllowed && (flags & RestrictFlags.Kod) != 0)
        {
            Mru[slot].NextLeakMono = nowMono + headway;
            return TimeAdmission.Kod;
        }

        ref MruEntry entry = ref Mru[slot];
        if (RateLimits.LeakReplies && nowMono >= entry.NextLeakMono)
        {
            entry.NextLeakMono = nowMono + headway;
            return TimeAdmission.Leak;
        }

        return TimeAdmission.Drop;
    }

    /// <summary>Records a control query (mode 6 or 7) in the MRU list and takes it from the
    /// client's and the server's query budgets; false when either is exhausted.</summary>
    public bool AdmitQuery(in ClientAddress client, RestrictFlags flags, byte versionMode, long nowMono, NtpTimestamp receiveTime)
    {
        int slot = Record(client, flags, versionMode, nowMono, receiveTime, out _);
        RateLimitSettings limits = RateLimits;
        if (slot >= 0 && !QueryBudget.TryTake(ref Mru[slot].QueryArrival, nowMono, limits.QueryIntervalPerClientNanoseconds, limits.QueryBurstPerClient))
        {
            return false;
        }

        return QueryBudget.TryTake(ref _totalQueryArrival, nowMono, limits.QueryIntervalTotalNanoseconds, limits.QueryBurstTotal);
    }

    /// <summary>ntpd's monitor step: find or create the client's entry, score the packet, update
    /// count and times. Returns the slot, or -1 when the list declined a new client; a new or
    /// unrecorded client is always within limits.</summary>
    private int Record(in ClientAddress client, RestrictFlags flags, byte versionMode, long nowMono, NtpTimestamp receiveTime, out RateVerdict verdict)
    {
        if (!Settings.Monitor)
        {
            verdict = RateVerdict.Within;
            return -1;
        }

        MruList mru = Mru;
        int slot = mru.Touch(client, out uint hash);
        if (slot >= 0)
        {
            ref MruEntry entry = ref mru[slot];
            verdict = HeadwayScore.Account(ref entry, nowMono, RateLimits);
            entry.Address = client;
            entry.LastMono = nowMono;
            entry.LastSeen = receiveTime;
            entry.Count++;
            entry.Flags = flags;
            entry.VersionMode = (byte)(versionMode & 0x3F);
            return slot;
        }

        verdict = RateVerdict.Within;
        slot = mru.Add(client, hash, nowMono);
        if (slot >= 0)
        {
            ref MruEntry entry = ref mru[slot];
            entry.FirstMono = entry.LastMono = nowMono;
            entry.FirstSeen = entry.LastSeen = receiveTime;
            entry.Count = 1;
            entry.Flags = flags;
            entry.VersionMode = (byte)(versionMode & 0x3F);
        }

        return slot;
    }
}
