// CastMobilizer: decides when a packet mobilizes an association (ntpd 4.2.8 receive(), AM_NEWBCL and
// AM_MANYCAST): the first broadcast heard from a server without an association, when we are a
// broadcast client, and each server's answer to a manycast solicitor's request. Either needs a MAC
// by a trusted key when `enable auth` is on (the default) or the source's restrict entry says
// `nopeer` or `notrust` (and a manycast solicitor with `key N` needs that key); a server that is not
// synchronized, or a broadcast client that is not enabled, mobilizes nothing. What it declines is
// counted (ntpq sysstats "declined", "restricted"). The associations it makes are ephemeral: a
// broadcast server's runs the volley at the server's own poll interval and then listens; a
// manycast server's is a client association with the solicitor's poll range, key and iburst.
using System.Net;
using Stratum.Core.Config;
using Stratum.Core.Wire;
using Stratum.Engine.Access;

namespace Stratum.Engine.Associations;

/// <summary>Mobilization rules of the broadcast and manycast modes.</summary>
public sealed class CastMobilizer(CastSettings settings, KeyRing keys)
{
    public CastSettings Settings { get; } = settings;

    /// <summary>Packets that could have mobilized an association but were refused by a rule (not enabled,
    /// no or wrong MAC, restrict).</summary>
    public long Restricted { get; private set; }

    /// <summary>Packets refused because the server could not help (unsynchronized, duplicate, too many).</summary>
    public long Declined { get; private set; }

    /// <summary>The settings of a broadcast client association for the server that sent <paramref name="packet"/>
    /// (mode 5), or null when it may not be mobilized. <paramref name="existing"/> counts the broadcast client
    /// associations already there: beyond `tos maxclock` of them nothing more is mobilized (a flood of forged
    /// broadcasts with `disable auth` cannot grow the association list without bound).</summary>
    public RemoteAssociationSettings? ForBroadcast(in NtpPacket packet, IPAddress source, RestrictFlags flags, int existing)
    {
        if (!Settings.BroadcastClient || (flags & (RestrictFlags.Ignore | RestrictFlags.NoServe)) != 0)
        {
            Restricted++;
            return null;
        }

        bool required = Settings.Authenticate || (flags & (RestrictFlags.NoPeer | RestrictFlags.NoTrust)) != 0;
        if (!IsAuthentic(packet, requiredKey: null, required, out uint? keyId))
        {
            Restricted++;
            return null;
        }

        NtpHeader header = packet.Header;
        if (!CanHelp(header) || existing >= Settings.MaxClock)
        {
            Declined++;
            return null;
        }

        sbyte poll = (sbyte)Math.Clamp((int)header.Poll, Stratum.Core.Time.PollExponent.MinConfigurable, Stratum.Core.Time.PollExponent.MaxConfigurable);
        return new RemoteAssociationSettings(new IPEndPoint(source, ClientAddress.NtpPort), AssociationMode.BroadcastClient,
            Iburst: true, Burst: false, Prefer: false, NoSelect: false, True: false, poll, poll, Version(header), source.ToString())
        {
            KeyId = keyId,
            IsEphemeral = true,
            BroadcastDelay = Settings.BroadcastDelay,
        };
    }

    /// <summary>The settings of a client association for the server that answered manycast solicitor
    /// <paramref name="solicitor"/>, or null when it may not be mobilized. <paramref name="mobilized"/> counts
    /// the solicitor's associations so far.</summary>
    public RemoteAssociationSettings? ForManycastReply(in NtpPacket packet, IPAddress source, RestrictFlags flags, RemoteAssociationSettings solicitor, int mobilized)
    {
        ArgumentNullException.ThrowIfNull(solicitor);
        if ((flags & (RestrictFlags.Ignore | RestrictFlags.NoServe)) != 0)
        {
            Restricted++;
            return null;
        }

        bool required = Settings.Authenticate || (flags & (RestrictFlags.NoPeer | RestrictFlags.NoTrust)) != 0;
        if (!IsAuthentic(packet, solicitor.KeyId, required, out _))
        {
            Restricted++;
            return null;
        }

        if (!CanHelp(packet.Header) || mobilized >= Settings.MaxClock)
        {
            Declined++;
            return null;
        }

        return new RemoteAssociationSettings(new IPEndPoint(source, ClientAddress.NtpPort), AssociationMode.Client,
            solicitor.Iburst, false, false, false, false, solicitor.MinPoll, solicitor.MaxPoll, solicitor.Version, source.ToString())
        {
            KeyId = solicitor.KeyId,
            IsEphemeral = true,
        };
    }

    /// <summary>A mobilizing packet from a source that already has an association: ignored, counted.</summary>
    public void Duplicate() => Declined++;

    // ntpd: "do not respond if unsynchronized or stratum is below the floor or at or above the ceiling".
    private static bool CanHelp(in NtpHeader header) =>
        header.Leap != LeapIndicator.Unsynchronized && header.Stratum is > 0 and < SystemState.SystemVariables.UnsynchronizedStratum;

    private static byte Version(in NtpHeader header) => (byte)Math.Clamp((int)header.Version, 1, 4);

    // A MAC must verify with a trusted key (the required one, if any); without a MAC the packet passes only
    // when authentication is not required.
    private bool IsAuthentic(in NtpPacket packet, uint? requiredKey, bool required, out uint? keyId)
    {
        keyId = null;
        if (!packet.HasMac)
        {
            return !required && requiredKey is null;
        }

        uint id = packet.Mac.KeyId;
        if ((requiredKey is uint wanted && wanted != id) || !keys.TryGetTrusted(id, out Stratum.Core.Auth.SymmetricKey? key)
            || !Stratum.Core.Auth.PacketMac.Verify(key, packet))
        {
            return false;
        }

        keyId = id;
        return true;
    }
}
