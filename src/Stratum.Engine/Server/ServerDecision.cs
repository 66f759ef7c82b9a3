// ServerDecision: what the server path did with one datagram, so the loop knows whether to send and
// the counters (ntpq sysstats-like) know why a packet was dropped. New values are appended so the
// numbers of the old ones stay stable.
namespace Stratum.Engine.Server;

/// <summary>Outcome of <see cref="ServerResponder.Respond(ReadOnlySpan{byte}, in Access.ClientAddress, Core.Time.NtpTimestamp, long, Span{byte}, out int)"/> and <see cref="ServerResponder.AdmitQuery"/>.</summary>
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
    /// <summary>Mode 6 or 7: handled by the control path, not the time server (and, from
    /// AdmitQuery, admitted by access control).</summary>
    Control,
    /// <summary>Source port 0: no real client sends from it (ntpd: "bogus port").</summary>
    DropBogusPort,
    /// <summary>restrict `ignore`, a multicast source, or one of our own addresses from port 123.</summary>
    DropIgnored,
    /// <summary>restrict `noserve`: no time service.</summary>
    DropNoServe,
    /// <summary>restrict `nopeer`: a symmetric active packet would need a new association.</summary>
    DropNoPeer,
    /// <summary>restrict `notrust`: the request carried no MAC.</summary>
    DropNotTrusted,
    /// <summary>restrict `version`: not NTPv4.</summary>
    DropVersionRestricted,
    /// <summary>restrict `limited`: over the discard rate, no KoD and no leak reply due.</summary>
    DropRateLimited,
    /// <summary>restrict `limited kod`: a RATE kiss-o'-death was written; send it as is (no transmit stamp).</summary>
    Kod,
    /// <summary>restrict `noquery`: mode 6/7 refused.</summary>
    DropNoQuery,
    /// <summary>Mode 6/7 over the query rate limit.</summary>
    DropQueryRate,
}
