// ReplyVerdict: what an association made of a datagram from its remote end (RFC 5905 §8 and §9.2
// packet checks). Only Accepted yields a sample; every other verdict is counted and changes no
// clock state.
namespace Stratum.Engine.Associations;

/// <summary>Outcome of <see cref="RemoteAssociation.OnReply"/>.</summary>
public enum ReplyVerdict : byte
{
    Accepted = 0,
    /// <summary>Not a parseable NTP packet.</summary>
    Malformed,
    /// <summary>Wrong mode for this association (e.g. a mode 3 request, a broadcast).</summary>
    WrongMode,
    /// <summary>Origin timestamp does not match our last request: bogus, spoofed or replayed.</summary>
    BogusOrigin,
    /// <summary>The same reply again (transmit timestamp seen before).</summary>
    Duplicate,
    /// <summary>A Kiss-o'-Death with a matching origin (DENY/RSTR stop us, RATE slows us).</summary>
    KissOfDeath,
    /// <summary>The server is not synchronized (LI = 3 or stratum 16); reachable but no sample.</summary>
    Unsynchronized,
    /// <summary>The association was stopped by an earlier DENY/RSTR.</summary>
    Stopped,
    /// <summary>`key N` is configured and the reply has no valid MAC by that key (or is a crypto-NAK).</summary>
    AuthenticationFailed,
    /// <summary>A broadcast while the client/server volley that calibrates the delay still runs: noted, no sample.</summary>
    Calibrating,
    /// <summary>A broadcast sooner after the last one than the server's poll interval allows (a replay or a flood).</summary>
    TooSoon,
    /// <summary>A broadcast whose time went backwards, held back for `tos bcpollbstep` poll intervals.</summary>
    Backstep,
}
