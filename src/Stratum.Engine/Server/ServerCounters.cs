// ServerCounters: packet counts of the time server path and of the control-query gate, by outcome
// and drop reason, read by ntpq/ntpdc sysstats (ntpd 4.2.8 ntpq.html "sysstats": "bad length or
// format", "rate limited", "KoD responses", "restricted" ...) and the sysstats file, which resets
// them every hour as ntpd does.
namespace Stratum.Engine.Server;

/// <summary>Counts of requests seen and what became of them.</summary>
public sealed class ServerCounters
{
    public long Received { get; internal set; }

    public long Replied { get; internal set; }

    public long DroppedMalformed { get; internal set; }

    public long DroppedVersion { get; internal set; }

    public long DroppedMode { get; internal set; }

    /// <summary>Mode 6/7 packets handed to the control path.</summary>
    public long Control { get; internal set; }

    /// <summary>Replies that carried a crypto-NAK because the request had a MAC we cannot check.</summary>
    public long CryptoNaks { get; internal set; }

    /// <summary>Replies answered with an older version than 4.</summary>
    public long OlderVersion { get; internal set; }

    /// <summary>Source port 0.</summary>
    public long DroppedBogusPort { get; internal set; }

    /// <summary>restrict ignore (and multicast sources, and our own addresses from port 123).</summary>
    public long DroppedIgnored { get; internal set; }

    public long DroppedNoServe { get; internal set; }

    public long DroppedNoPeer { get; internal set; }

    public long DroppedNotTrusted { get; internal set; }

    /// <summary>restrict version: a request that was not NTPv4.</summary>
    public long DroppedVersionRestricted { get; internal set; }

    /// <summary>Over the rate and dropped.</summary>
    public long DroppedRateLimited { get; internal set; }

    /// <summary>RATE kiss-o'-death replies sent.</summary>
    public long KodSent { get; internal set; }

    /// <summary>Normal replies let through to a client over the rate (one per average interval).</summary>
    public long LeakReplies { get; internal set; }

    /// <summary>Mode 6/7 refused by restrict noquery.</summary>
    public long DroppedNoQuery { get; internal set; }

    /// <summary>Mode 6/7 over the query rate limit.</summary>
    public long DroppedQueryRate { get; internal set; }

    /// <summary>Request MACs looked up by key id (ntpq authinfo "key lookups").</summary>
    public long KeyLookups { get; internal set; }

    /// <summary>Request MACs whose key id is not a trusted key of the keys file ("keys not found").</summary>
    public long KeyNotFound { get; internal set; }

    /// <summary>Request MACs computed and compared (a trusted key was found): the digest work a
    /// flood of signed requests costs; none for requests dropped by the rate limit.</summary>
    public long MacsChecked { get; internal set; }

    /// <summary>Request MACs that verified ("decryptions").</summary>
    public long MacsVerified { get; internal set; }

    /// <summary>Replies handed to the host to sign ("encryptions").</summary>
    public long MacsSigned { get; internal set; }

    /// <summary>Time requests over the rate, however answered (ntpd sysstats "rate limited").</summary>
    public long RateLimited => DroppedRateLimited + KodSent + LeakReplies;

    /// <summary>Packets refused by a restrict flag (ntpd sysstats "restricted").</summary>
    public long Restricted => DroppedIgnored + DroppedNoServe + DroppedNoPeer + DroppedNotTrusted + DroppedVersionRestricted + DroppedNoQuery;

    /// <summary>Time requests in the current version (ntpd's "current version"): the rest are older or refused.</summary>
    public long CurrentVersion => Math.Max(0, Received - OlderVersion - DroppedVersion);

    /// <summary>Refused for their version or mode (ntpd's "declined").</summary>
    public long Declined => DroppedVersion + DroppedMode;

    public long Dropped => DroppedMalformed + DroppedVersion + DroppedMode + DroppedBogusPort + Restricted + DroppedRateLimited + DroppedQueryRate;

    /// <summary>Starts every count again from zero (ntpd does so each hour when it writes sysstats).</summary>
    public void Reset()
    {
        Received = Replied = DroppedMalformed = DroppedVersion = DroppedMode = Control = CryptoNaks = OlderVersion = 0;
        DroppedBogusPort = DroppedIgnored = DroppedNoServe = DroppedNoPeer = DroppedNotTrusted = DroppedVersionRestricted = 0;
        DroppedRateLimited = KodSent = LeakReplies = DroppedNoQuery = DroppedQueryRate = 0;
        KeyLookups = KeyNotFound = MacsChecked = MacsVerified = MacsSigned = 0;
    }

    internal void Count(ServerDecision decision)
    {
        switch (decision)
        {
            case ServerDecision.Reply: Replied++; break;
            case ServerDecision.DropMalformed: DroppedMalformed++; break;
            case ServerDecision.DropVersion: DroppedVersion++; break;
            case ServerDecision.DropMode: DroppedMode++; break;
            case ServerDecision.Control: Control++; break;
            case ServerDecision.DropBogusPort: DroppedBogusPort++; break;
            case ServerDecision.DropIgnored: DroppedIgnored++; break;
            case ServerDecision.DropNoServe: DroppedNoServe++; break;
            case ServerDecision.DropNoPeer: DroppedNoPeer++; break;
            case ServerDecision.DropNotTrusted: DroppedNotTrusted++; break;
            case ServerDecision.DropVersionRestricted: DroppedVersionRestricted++; break;
            case ServerDecision.DropRateLimited: DroppedRateLimited++; break;
            case ServerDecision.Kod: KodSent++; break;
            case ServerDecision.DropNoQuery: DroppedNoQuery++; break;
            case ServerDecision.DropQueryRate: DroppedQueryRate++; break;
        }
    }
}
