// ServerResponder: the time server (RFC 5905 §8 and §9.2, appendix A.5.1.1 fast_xmit) behind
// ntpd's access control (ntpd 4.2.8 accopt.html). A client request (mode 3) or a symmetric-active
// request (mode 1) from an unconfigured peer is answered with the system variables: origin = the
// request's transmit timestamp, receive = the kernel receive stamp, version echoed (v1–v4), poll
// echoed, mode 4 (or 2). The transmit timestamp is left zero: the event loop writes it just
// before sending. A request carrying a valid MAC by a trusted key (Keys; RFC 5905 §7.3) is answered
// with a MAC by the same key, which the event loop appends after writing the transmit timestamp
// (ReplyKey); any other MAC gets a crypto-NAK (a 4-byte zero key id). The reply is never longer
// than the request. With `leapsmearinterval` the served leap bits never warn, and during a smear the
// reference, receive and transmit times carry its offset and the refid shows it (LeapSmear).
// With a client address (the daemon's path) the source's restrict entry applies first: source
// port 0 and `ignore` drop before parsing; then the MRU list records the request and scores its
// rate; then `noserve`, `version`, `notrust` for a request without a MAC, `nopeer` (mode 1); then
// the rate limit of `limited` sources drops what is over the rate — before any MAC is computed,
// so a flood of signed requests costs no digests; only then is a MAC checked (`notrust` refuses
// one that fails) and the rest of the rate decision applied: a leak reply, or with `kod` a RATE
// kiss-o'-death (RFC 5905 §7.4: leap 3, stratum 0, refid RATE, poll raised to the discard
// average; origin, receive and transmit all carry the request's transmit timestamp, so the KoD
// tells the client nothing about our time; it carries no MAC, so its request's MAC is checked
// only under `notrust`).
// IsPlainClientRequest is the split of the shared server datagram path (the host's main loop and
// its --server-threads loops): a mode 3 request is answered here on any loop; anything else goes
// through NtpEngine.OnDatagram on the main loop.
// AdmitQuery gates mode 6/7 for the host before the control responder sees them: `ignore`,
// `noquery`, and the query rate limit. Nothing here allocates.
using Stratum.Core.Config;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Access;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Server;

/// <summary>Builds the reply to one time request.</summary>
public sealed class ServerResponder
{
    /// <summary>NTPv4: what restrict `version` insists on.</summary>
    private const byte CurrentVersion = 4;

    private static readonly ReferenceId s_rateKiss = ReferenceId.FromAscii("RATE");

    private readonly SystemVariables _system;

    /// <param name="system">The variables replies are made of.</param>
    /// <param name="access">Restrict list, MRU list and rate limits; null answers everyone (simulations, tests).</param>
    public ServerResponder(SystemVariables system, AccessControl? access = null)
    {
        _system = system;
        Access = access;
    }

    public ServerCounters Counters { get; } = new();

    /// <summary>Access control, or null when every client is answered.</summary>
    public AccessControl? Access { get; }

    /// <summary>Trusted symmetric keys for MACs (keys file and `trustedkey`); none by default.</summary>
    public KeyRing Keys { get; set; } = KeyRing.Empty;

    /// <summary>After a Reply: the key to sign it with once its transmit timestamp is written, or null
    /// (the request had no MAC, or a crypto-NAK is already in the reply).</summary>
    public Stratum.Core.Auth.SymmetricKey? ReplyKey { get; private set; }

    /// <summary>After a Reply: what the host adds to the transmit timestamp it writes (the leap smear's offset), ns.</summary>
    public long ReplyTransmitOffsetNanoseconds { get; private set; }

    /// <summary>After a Reply: true when it is an interleaved reply (RFC 9769) whose transmit timestamp is already
    /// written (the kernel's stamp of an earlier reply): the host must not stamp it.</summary>
    public bool ReplyIsInterleaved { get; private set; }

    /// <summary>After a Reply: the receive timestamp (raw) under which the host records the kernel's transmit
    /// stamp of this reply in <see cref="Interleaved"/>, or 0 when the client does not interleave.</summary>
    public ulong ReplyCaptureKey { get; private set; }

    /// <summary>The kernel transmit stamps of replies to interleaved clients (RFC 9769 §2).</summary>
    public InterleavedTransmitTable Interleaved { get; } = new();

    /// <summary>Answer mode 1 (symmetric active) with a mode 2 reply; restrict `nopeer` turns it off per source.</summary>
    public bool AnswerSymmetricActive { get; set; } = true;

    /// <summary>True for a plain client request (mode 3): the shared server path answers it with
    /// <see cref="Respond(ReadOnlySpan{byte}, in ClientAddress, NtpTimestamp, long, Span{byte}, out int)"/>
    /// on whichever loop received it; every other datagram (modes 6 and 7, symmetric and broadcast
    /// packets, replies, NTPv1, empty ones) belongs to NtpEngine.OnDatagram on the main loop.</summary>
    public static bool IsPlainClientRequest(ReadOnlySpan<byte> datagram) =>
        !datagram.IsEmpty && (datagram[0] & 0x07) == (int)NtpMode.Client;

    /// <summary>Parses <paramref name="request"/> and writes the reply, without access control.</summary>
    /// <param name="request">The datagram as received.</param>
    /// <param name="receiveTime">T2: when it arrived, on the disciplined clock.</param>
    /// <param name="monoSeconds">Monotonic now, for root dispersion growth.</param>
    /// <param name="reply">At least 52 bytes.</param>
    /// <param name="replyLength">Bytes to send when the decision is Reply.</param>
    public ServerDecision Respond(ReadOnlySpan<byte> request, NtpTimestamp receiveTime, double monoSeconds, Span<byte> reply, out int replyLength)
    {
        Counters.Received++;
        ReplyKey = null;
        ReplyIsInterleaved = false;
        ReplyCaptureKey = 0;
        ServerDecision decision = Decide(request, receiveTime, monoSeconds, reply, out replyLength);
        Counters.Count(decision);
        return decision;
    }

    /// <summary>Answers a time request from <paramref name="client"/> under access control.</summary>
    /// <param name="request">The datagram as received.</param>
    /// <param name="client">Its source address and port.</param>
    /// <param name="receiveTime">T2 on the disciplined clock.</param>
    /// <param name="monoNanoseconds">Receive time on the monotonic clock (rate limits, dispersion growth).</param>
    /// <param name="reply">At least 52 bytes.</param>
    /// <param name="replyLength">Bytes to send when the decision is Reply or Kod.</param>
    public ServerDecision Respond(ReadOnlySpan<byte> request, in ClientAddress client, NtpTimestamp receiveTime, long monoNanoseconds, Span<byte> reply, out int replyLength)
    {
        Counters.Received++;
        ReplyKey = null;
        ReplyIsInterleaved = false;
        ReplyCaptureKey = 0;
        ServerDecision decision = Access is null
            ? Decide(request, receiveTime, monoNanoseconds / 1e9, reply, out replyLength)
            : DecideRestricted(Access, request, client, receiveTime, monoNanoseconds, reply, out replyLength);
        Counters.Count(decision);
        return decision;
    }

    /// <summary>Gates a mode 6/7 request before the control responder: Control when it may be
    /// answered, else the drop reason. <paramref name="flags"/> are the source's restrict flags,
    /// for the control responder (nomodify, notrap, nomrulist).</summary>
    public ServerDecision AdmitQuery(ReadOnlySpan<byte> request, in ClientAddress client, NtpTimestamp receiveTime, long monoNanoseconds, out RestrictFlags flags)
    {
        Counters.Received++;
        ServerDecision decision = DecideQuery(request, client, receiveTime, monoNanoseconds, out flags);
        Counters.Count(decision);
        return decision;
    }

    private ServerDecision DecideQuery(ReadOnlySpan<byte> request, in ClientAddress client, NtpTimestamp receiveTime, long monoNanoseconds, out RestrictFlags flags)
    {
        flags = RestrictFlags.None;
        if (request.IsEmpty)
        {
            return ServerDecision.DropMalformed;
        }

        if (Access is null)
        {
            return ServerDecision.Control;
        }

        if (client.Port == 0)
        {
            return ServerDecision.DropBogusPort;
        }

        flags = Access.Match(client).Flags;
        if ((flags & RestrictFlags.Ignore) != 0)
        {
            return ServerDecision.DropIgnored;
        }

        if ((flags & RestrictFlags.NoQuery) != 0
            || (Access.Settings.QueriesFromLoopbackOnly && !System.Net.IPAddress.IsLoopback(client.ToIPAddress())))
        {
            return ServerDecision.DropNoQuery;
        }

        return Access.AdmitQuery(client, flags, request[0], monoNanoseconds, receiveTime)
            ? ServerDecision.Control
            : ServerDecision.DropQueryRate;
    }

    private ServerDecision DecideRestricted(AccessControl access, ReadOnlySpan<byte> request, in ClientAddress client, NtpTimestamp receiveTime, long monoNanoseconds, Span<byte> reply, out int replyLength)
    {
        replyLength = 0;
        if (client.Port == 0)
        {
            return ServerDecision.DropBogusPort;
        }

        RestrictFlags flags = access.Match(client).Flags;
        if ((flags & RestrictFlags.Ignore) != 0)
        {
            return ServerDecision.DropIgnored;
        }

        if (!TryParseRequest(request, out NtpPacket packet, out NtpMode replyMode, out ServerDecision rejected))
        {
            return rejected;
        }

        NtpHeader header = packet.Header;
        TimeAdmission admission = access.AdmitTimeRequest(client, flags, request[0], monoNanoseconds, receiveTime);
        if ((flags & RestrictFlags.NoServe) != 0)
        {
            return ServerDecision.DropNoServe;
        }

        if ((flags & RestrictFlags.Version) != 0 && header.Version != CurrentVersion)
        {
            return ServerDecision.DropVersionRestricted;
        }

        bool signed = packet.HasMac && !packet.Mac.IsCryptoNak;
        bool noTrust = (flags & RestrictFlags.NoTrust) != 0;
        if (noTrust && !signed)
        {
            return ServerDecision.DropNotTrusted;
        }

        if (header.Mode == NtpMode.SymmetricActive && (flags & RestrictFlags.NoPeer) != 0)
        {
            return ServerDecision.DropNoPeer;
        }

        if (admission == TimeAdmission.Drop)
        {
            // Before the MAC: a flood over the rate costs no digest.
            return ServerDecision.DropRateLimited;
        }

        // A KoD carries no MAC, so its request's MAC matters only under `notrust`.
        Stratum.Core.Auth.SymmetricKey? key = signed && (admission != TimeAdmission.Kod || noTrust) ? Authenticate(packet, client) : null;
        if (noTrust && key is null)
        {
            return ServerDecision.DropNotTrusted;
        }

        switch (admission)
        {
            case TimeAdmission.Kod:
                replyLength = WriteRateKiss(header, replyMode, access.RateLimits, reply);
                return ServerDecision.Kod;
            case TimeAdmission.Leak:
                Counters.LeakReplies++;
                break;
        }

        replyLength = WriteReply(packet, replyMode, receiveTime, monoNanoseconds, reply, key);
        return ServerDecision.Reply;
    }

    /// <summary>The trusted key whose valid MAC the request carries, or null.</summary>
    private Stratum.Core.Auth.SymmetricKey? Authenticate(in NtpPacket packet, in ClientAddress client)
    {
        if (!packet.HasMac || packet.Mac.IsCryptoNak)
        {
            return null;
        }

        Counters.KeyLookups++;
        if (!Keys.TryGetTrusted(packet.Mac.KeyId, client, out Stratum.Core.Auth.SymmetricKey? key))
        {
            Counters.KeyNotFound++;
            return null;
        }

        Counters.MacsChecked++;
        if (!Stratum.Core.Auth.PacketMac.Verify(key, packet))
        {
            return null;
        }

        Counters.MacsVerified++;
        return key;
    }

    private ServerDecision Decide(ReadOnlySpan<byte> request, NtpTimestamp receiveTime, double monoSeconds, Span<byte> reply, out int replyLength)
    {
        replyLength = 0;
        if (!TryParseRequest(request, out NtpPacket packet, out NtpMode replyMode, out ServerDecision rejected))
        {
            return rejected;
        }

        replyLength = WriteReply(packet, replyMode, receiveTime, (long)(monoSeconds * 1e9), reply, Authenticate(packet, default));
        return ServerDecision.Reply;
    }

    /// <summary>Parses a time request and picks the reply mode; false with the drop reason otherwise.</summary>
    private bool TryParseRequest(ReadOnlySpan<byte> request, out NtpPacket packet, out NtpMode replyMode, out ServerDecision rejected)
    {
        replyMode = NtpMode.Server;
        if (!NtpPacket.TryRead(request, out packet, out PacketError error))
        {
            rejected = error switch
            {
                PacketError.UnsupportedVersion => ServerDecision.DropVersion,
                PacketError.ControlMode => ServerDecision.Control,
                _ => ServerDecision.DropMalformed,
            };
            return false;
        }

        NtpHeader header = packet.Header;
        switch (header.Mode)
        {
            case NtpMode.Client:
                replyMode = NtpMode.Server;
                break;
            case NtpMode.SymmetricActive when AnswerSymmetricActive:
                replyMode = NtpMode.SymmetricPassive;
                break;
            case NtpMode.Reserved when header.Version == 1:
                // NTPv1 had no mode field; ntpd treats such a request as a client and answers passive.
                replyMode = NtpMode.SymmetricPassive;
                break;
            default:
                rejected = ServerDecision.DropMode;
                return false;
        }

        rejected = ServerDecision.Reply;
        return true;
    }

    private int WriteReply(in NtpPacket packet, NtpMode replyMode, NtpTimestamp receiveTime, long monoNanoseconds, Span<byte> reply, Stratum.Core.Auth.SymmetricKey? key)
    {
        NtpHeader header = packet.Header;
        // During a leap smear (LeapSmear) every served time carries the smear offset, the transmit
        // timestamp too (the host adds ReplyTransmitOffsetNanoseconds when it writes it).
        double smear = _system.LeapSmearWindow is { } window ? window.OffsetAt(monoNanoseconds) : 0;
        NtpDuration smearOffset = NtpDuration.FromSeconds(smear);
        ReplyTransmitOffsetNanoseconds = (long)(smear * 1e9);

        // RFC 9769 §2: receive timestamps always carry a set lowest bit and transmit timestamps a clear one,
        // so a request whose origin has the bit set names one of our receive timestamps: an interleaved
        // client (whose request's receive field, its own receive time of our last reply, differs from its
        // transmit). If we still hold the kernel's transmit stamp of the reply that receive timestamp
        // went out in, this reply carries that stamp and, as origin, the request's receive field; its own
        // kernel stamp is kept for the client's next request.
        NtpTimestamp served = new((receiveTime + smearOffset).Raw | 1);
        bool interleavedClient = replyMode == NtpMode.Server && header.Version == 4 && (header.OriginTime.Raw & 1) == 1
            && header.ReceiveTime != header.TransmitTime;
        ulong earlierTransmit = 0;
        ReplyIsInterleaved = interleavedClient && Interleaved.TryTake(header.OriginTime.Raw, out earlierTransmit);
        ReplyCaptureKey = interleavedClient ? served.Raw : 0;
        if (interleavedClient)
        {
            Interleaved.Expect(served.Raw);
        }

        var replyHeader = new NtpHeader(
            _system.ServedLeap,
            header.Version,
            replyMode,
            _system.WireStratum,
            header.Poll,
            _system.Precision,
            NtpShort.FromSeconds(_system.RootDelay),
            NtpShort.FromSeconds(_system.RootDispersionAt(monoNanoseconds / 1e9)),
            smear != 0 ? LeapSmear.ReferenceIdFor(smear) : _system.ReferenceId,
            _system.ReferenceTime + smearOffset,
            ReplyIsInterleaved ? header.ReceiveTime : header.TransmitTime,
            served,
            ReplyIsInterleaved ? new NtpTimestamp(earlierTransmit & ~1UL) : NtpTimestamp.Zero);
        int length = replyHeader.Write(reply);

        if (key is not null)
        {
            // Signed by the host after it writes the transmit timestamp, which the MAC covers.
            ReplyKey = key;
            Counters.MacsSigned++;
        }
        else if (packet.HasMac)
        {
            // Crypto-NAK: key id 0, no digest (RFC 5905 §7.4 / ntpd): the client learns we could not authenticate.
            length = MessageAuthenticationCode.Write(reply, length, 0, []);
            Counters.CryptoNaks++;
        }

        if (header.Version < 4)
        {
            Counters.OlderVersion++;
        }

        return length;
    }

    private int WriteRateKiss(in NtpHeader request, NtpMode replyMode, RateLimitSettings limits, Span<byte> reply)
    {
        var kiss = new NtpHeader(
            LeapIndicator.Unsynchronized,
            request.Version,
            replyMode,
            0,
            (sbyte)Math.Max(request.Poll, (sbyte)Math.Min(limits.AverageLog2Seconds, sbyte.MaxValue)),
            _system.Precision,
            default,
            default,
            s_rateKiss,
            NtpTimestamp.Zero,
            request.TransmitTime,
            request.TransmitTime,
            request.TransmitTime);
        return kiss.Write(reply);
    }
}
