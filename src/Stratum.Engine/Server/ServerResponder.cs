// ServerResponder: the stateless time server (RFC 5905 §8 and §9.2, appendix A.5.1.1 fast_xmit).
// A client request (mode 3) or a symmetric-active request (mode 1) from an unconfigured peer is
// answered with the system variables: origin = the request's transmit timestamp, receive = the
// kernel receive stamp, version echoed (v1–v4), poll echoed, mode 4 (or 2). The transmit
// timestamp is left zero: the event loop writes it just before sending. A request carrying a MAC
// gets a crypto-NAK (a 4-byte zero key id) because symmetric-key authentication is not yet
// implemented; the reply is never longer than the request. Nothing here allocates.
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Server;

/// <summary>Builds the reply to one time request.</summary>
public sealed class ServerResponder
{
    private readonly SystemVariables _system;

    public ServerResponder(SystemVariables system)
    {
        _system = system;
    }

    public ServerCounters Counters { get; } = new();

    /// <summary>Answer mode 1 (symmetric active) with a mode 2 reply; off when `nopeer` applies.</summary>
    public bool AnswerSymmetricActive { get; set; } = true;

    /// <summary>Parses <paramref name="request"/> and writes the reply into <paramref name="reply"/>.</summary>
    /// <param name="request">The datagram as received.</param>
    /// <param name="receiveTime">T2: when it arrived, on the disciplined clock.</param>
    /// <param name="monoSeconds">Monotonic now, for root dispersion growth.</param>
    /// <param name="reply">At least 52 bytes.</param>
    /// <param name="replyLength">Bytes to send when the decision is Reply.</param>
    public ServerDecision Respond(ReadOnlySpan<byte> request, NtpTimestamp receiveTime, double monoSeconds, Span<byte> reply, out int replyLength)
    {
        Counters.Received++;
        ServerDecision decision = Decide(request, receiveTime, monoSeconds, reply, out replyLength);
        Counters.Count(decision);
        return decision;
    }

    private ServerDecision Decide(ReadOnlySpan<byte> request, NtpTimestamp receiveTime, double monoSeconds, Span<byte> reply, out int replyLength)
    {
        replyLength = 0;
        if (!NtpPacket.TryRead(request, out NtpPacket packet, out PacketError error))
        {
            return error switch
            {
                PacketError.UnsupportedVersion => ServerDecision.DropVersion,
                PacketError.ControlMode => ServerDecision.Control,
                _ => ServerDecision.DropMalformed,
            };
        }

        NtpHeader header = packet.Header;
        NtpMode replyMode;
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
                return ServerDecision.DropMode;
        }

        var replyHeader = new NtpHeader(
            _system.Leap,
            header.Version,
            replyMode,
            _system.WireStratum,
            header.Poll,
            _system.Precision,
            NtpShort.FromSeconds(_system.RootDelay),
            NtpShort.FromSeconds(_system.RootDispersionAt(monoSeconds)),
            _system.ReferenceId,
            _system.ReferenceTime,
            header.TransmitTime,
            receiveTime,
            NtpTimestamp.Zero);
        replyLength = replyHeader.Write(reply);

        if (packet.HasMac)
        {
            // Crypto-NAK: key id 0, no digest (RFC 5905 §7.4 / ntpd): the client learns we could not authenticate.
            replyLength = MessageAuthenticationCode.Write(reply, replyLength, 0, []);
            Counters.CryptoNaks++;
        }

        if (header.Version < 4)
        {
            Counters.OlderVersion++;
        }

        return ServerDecision.Reply;
    }
}
