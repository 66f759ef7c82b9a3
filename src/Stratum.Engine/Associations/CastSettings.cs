// CastSettings: what the broadcast and manycast modes may do here (ntpd 4.2.8 confopt.html, authopt.html):
// listen to broadcast servers (`broadcastclient`, `multicastclient`, `enable bclient`), with which
// delay (`broadcastdelay`, else measured), answer manycast clients (`manycastserver`), whether
// packets that mobilize an association must be authenticated (`enable auth`, the default, as ntpd
// 4.2.8p6 and later require of broadcast clients), and `tos bcpollbstep`.
namespace Stratum.Engine.Associations;

/// <summary>Broadcast and manycast options.</summary>
public sealed record CastSettings
{
    public static CastSettings Default { get; } = new();

    /// <summary>Mobilize a broadcast client association for each broadcast server heard.</summary>
    public bool BroadcastClient { get; init; }

    /// <summary>Answer client requests sent to a joined manycast group (only while synchronized).</summary>
    public bool ManycastServer { get; init; }

    /// <summary>`enable auth`: a broadcast or manycast server must sign with a trusted key to be mobilized.</summary>
    public bool Authenticate { get; init; } = true;

    /// <summary>`broadcastdelay`: the delay to assume (round trip, as NTP counts delay; half of it is the way
    /// from the server), which skips the volley; null measures it.</summary>
    public double? BroadcastDelay { get; init; }

    /// <summary>`tos bcpollbstep`: poll intervals a broadcast server's backward step is held back (0..4).</summary>
    public int BackstepPolls { get; init; }

    /// <summary>`tos minclock`: a manycast solicitor stops soliciting once this many of its servers are reachable.</summary>
    public int MinClock { get; init; } = 3;

    /// <summary>`enable unpeer_digest_early` (default): an ephemeral association whose server's packet fails its digest
    /// is demobilized at once, not left to time out.</summary>
    public bool UnpeerDigestEarly { get; init; } = true;

    /// <summary>`enable unpeer_crypto_nak_early` (default): likewise for a crypto-NAK (the server cannot check our MAC).</summary>
    public bool UnpeerCryptoNakEarly { get; init; } = true;

    /// <summary>`tos maxclock`: the most associations a manycast solicitor mobilizes.</summary>
    public int MaxClock { get; init; } = EngineConfiguration.DefaultMaxClock;
}
