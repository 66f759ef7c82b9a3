// RemoteAssociationSettings: the Engine's view of one `server`, `peer`, `broadcast` or `manycastclient`
// line (or one address resolved from a `pool`, or an association a broadcast or manycast server
// mobilized): what to send and how often (RFC 5905 §9, ntpd's options).
using System.Net;

namespace Stratum.Engine.Associations;

/// <summary>How the association talks to its remote end.</summary>
public enum AssociationMode : byte
{
    /// <summary>`server` / `pool`: we send mode 3, expect mode 4.</summary>
    Client = 3,
    /// <summary>`peer`: we send mode 1 (symmetric active), expect mode 1 or 2.</summary>
    SymmetricActive = 1,

    /// <summary>A reference clock driver (127.127.T.U other than the local clock): no packets; the
    /// host hands the engine one sample per poll (<see cref="RefclockIdentity"/>).</summary>
    Refclock = 0,

    /// <summary>`broadcast`: we send mode 5 to a broadcast address or multicast group, expect nothing.</summary>
    Broadcast = 5,

    /// <summary>A broadcast server heard by `broadcastclient`/`multicastclient` (ntpd's MODE_BCLIENT): after a
    /// client/server volley that measures the delay, we only listen to its mode 5 packets.</summary>
    BroadcastClient = 6,
}

/// <summary>What a reference clock association serves as: the fudge stratum (0 by default), its
/// refid (the driver's, or the fudge one) and `fudge time1`, added to every sample.</summary>
public sealed record RefclockIdentity(byte Stratum, Stratum.Core.Wire.ReferenceId ReferenceId, double Time1Seconds)
{
    /// <summary>A pulse-per-second clock (PPS, type 22): it gives the instant of each second but not which second,
    /// so selection uses it only beside a prefer peer (ClockSelector's PPS rule).</summary>
    public bool IsPps { get; init; }
}

/// <summary>Options of one remote association.</summary>
public sealed record RemoteAssociationSettings(
    IPEndPoint Address,
    AssociationMode Mode,
    bool Iburst,
    bool Burst,
    bool Prefer,
    bool NoSelect,
    bool True,
    sbyte MinPoll,
    sbyte MaxPoll,
    byte Version,
    string DisplayName)
{
    /// <summary>The `pool` line this association was drawn from (its name), or null for server/peer.</summary>
    public string? Pool { get; init; }

    /// <summary>Set for a reference clock association (Mode = Refclock).</summary>
    public RefclockIdentity? Refclock { get; init; }

    /// <summary>`key N`: requests carry a MAC by key N and only replies with a valid MAC by it are
    /// accepted (RFC 5905 §7.3, TEST5 of ntpd); null for none.</summary>
    public uint? KeyId { get; init; }

    /// <summary>`xleave`: a client association asks for the interleaved mode (RFC 9769 §2) and measures
    /// with the server's kernel transmit stamps when it answers in that mode.</summary>
    public bool Xleave { get; init; }

    /// <summary>The IP time-to-live of multicast packets (`ttl` on broadcast and manycastclient lines), or null
    /// for the default.</summary>
    public byte? Ttl { get; init; }

    /// <summary>`manycastclient GROUP`: requests go to a multicast group, and every server that answers is
    /// mobilized as a client association of its own; this one takes no samples.</summary>
    public bool IsManycastSolicitor { get; init; }

    /// <summary>Mobilized by a packet (a broadcast server heard, a manycast server that answered), not by a
    /// config line: demobilized when it stays unreachable (ntpd's preemptible associations).</summary>
    public bool IsEphemeral { get; init; }

    /// <summary>A broadcast client's delay from `broadcastdelay` (round trip; no volley), or null: the volley
    /// measures it.</summary>
    public double? BroadcastDelay { get; init; }

    /// <summary>True when the association sends to a broadcast address or multicast group.</summary>
    public bool SendsToGroup => Mode == AssociationMode.Broadcast || IsManycastSolicitor;
}
