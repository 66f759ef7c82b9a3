// SntpReply and SntpReplyStatus: the engine's verdict on one received datagram. A datagram that
// fails a check is dropped and counted, never thrown on (ARCHITECTURE.md §1: hostile input gets a
// typed error). The checks follow ntpdate 4.2.8's receive() and RFC 5905 §8's packet tests.
using Stratum.Core.Wire;

namespace Stratum.Client.Sntp;

/// <summary>What happened to a received datagram.</summary>
public enum SntpReplyStatus
{
    /// <summary>A valid reply: a sample was recorded (possibly an empty slot if unusable).</summary>
    Accepted = 0,
    /// <summary>Not a parseable NTP packet (length, version outside 1..4, mode 6/7, bad trailer).</summary>
    Malformed,
    /// <summary>Mode other than server (4) or symmetric passive (2).</summary>
    UnexpectedMode,
    /// <summary>Stratum field 16 or above (RFC 5905: unsynchronized / reserved).</summary>
    StratumOutOfRange,
    /// <summary>From an address and port we did not query.</summary>
    UnknownSource,
    /// <summary>Its origin timestamp is not our outstanding request's transmit timestamp (bogus or duplicate).</summary>
    OriginMismatch,
    /// <summary>A Kiss-o'-Death (stratum 0): the server is dropped, see <see cref="SntpReply.Kiss"/>.</summary>
    KissOfDeath,
    /// <summary>Receive timestamp zero, or transmit before receive: the server's clock is not usable.</summary>
    ServerClockInsane,
    /// <summary>With a key (ntpdate -a): no valid MAC by it (none, a crypto-NAK, or a wrong digest).</summary>
    AuthenticationFailed,
}

/// <summary>The outcome for one datagram; ServerIndex is -1 when it matched no server.</summary>
public readonly record struct SntpReply(
    SntpReplyStatus Status,
    int ServerIndex,
    NtpHeader Header,
    ExchangeTimestamps Timestamps,
    FilterSample? Sample,
    KissCode? Kiss,
    PacketError ParseError);
