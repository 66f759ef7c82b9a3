// HeadwayScore: ntpd's per-client rate test (ntpd 4.2.8 accopt.html "discard"; the algorithm of
// its monitor code, written here from its documented behaviour). Each client has a score in
// seconds that drains by one per second of idle time. A packet is within limits when it arrives
// at least `minimum` seconds after the previous one (with one second of grace) and adding the
// headway 2^average keeps the score under 8 × 2^average (8 is NTP_SHIFT, the clock filter
// depth: a client may burst eight packets, as iburst does). A packet within limits adds the
// headway less two seconds of grace. The first packet over a limit sets the score to the limit
// plus one headway and may draw a KoD; later ones do not touch the score, so the next KoD can
// only follow once the score has drained below the limit — KoDs are thereby limited to about
// one per average interval.
namespace Stratum.Engine.Access;

/// <summary>The headway-score rate test on one MRU entry.</summary>
internal static class HeadwayScore
{
    /// <summary>NTP_SHIFT: packets a client may send back to back before the average limit bites.</summary>
    public const int BurstPackets = 8;

    /// <summary>Accounts a packet from a known client; call before the entry's last-seen time is updated.</summary>
    public static RateVerdict Account(ref MruEntry entry, long nowMono, RateLimitSettings limits)
    {
        long interval = MruList.AgeSeconds(entry.LastMono, nowMono);
        if (interval < 0)
        {
            interval = limits.MinimumSeconds;
        }

        int headway = limits.HeadwaySeconds;
        long limit = (long)BurstPackets * headway;
        long drained = Math.Max(0, entry.Score - interval);
        long raised = drained + headway;
        if (interval + 1 >= limits.MinimumSeconds && raised < limit)
        {
            entry.Score = (int)Math.Max(0, raised - 2);
            return RateVerdict.Within;
        }

        if (drained < limit)
        {
            entry.Score = (int)(limit + headway);
            return RateVerdict.ExceededKodAllowed;
        }

        entry.Score = (int)drained;
        return RateVerdict.Exceeded;
    }
}
