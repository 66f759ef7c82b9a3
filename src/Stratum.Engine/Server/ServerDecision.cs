// ServerDecision: what the server path did with one datagram, so the loop knows whether to send and
// the counters (ntpq sysstats-like) know why a packet was dropped.
namespace Stratum.Engine.Server;

/// <summary>Outcome of <see cref="ServerResponder.Respond"/>.</summary>
public enum ServerDecision : byte
{
    /// <summary>A reply was written; send it after stamping the transmit time.</summary>
    Reply = 0,
    /// <summary>Not a well-formed NTP packet (short, long, misaligned, bad extension or MAC length).</summary>
    DropMalformed,
    /// <summary>Version 0 or 5–7.</summary>
    DropVersion,
    /// <summary>A mode the server does not answer (server, broadcast, passive, reserved).</summary>
    DropMode,
    /// <summary>Mode 6 or 7: handled by the control path, not the time server.</summary>
    Control,
}
