// DatagramDisposition: what NtpEngine.OnDatagram did with one datagram, so the host knows what to
// send: nothing, the time reply or KoD written into its reply buffer, or the answers queued in the
// actions (modes 6 and 7); a datagram handed to an association sends nothing at once.
namespace Stratum.Engine;

/// <summary>The fate of one datagram.</summary>
public enum DatagramDisposition : byte
{
    /// <summary>Nothing to send (refused, malformed, not ours).</summary>
    Dropped = 0,
    /// <summary>A time reply is in the reply buffer: write the transmit timestamp just before sending,
    /// then the MAC when a key is given.</summary>
    Reply = 1,
    /// <summary>A RATE kiss-o'-death is in the reply buffer: send it as it is (no transmit stamp).</summary>
    Kod = 2,
    /// <summary>A mode 6 or 7 query: its answers (maybe none) are queued in the actions.</summary>
    Answered = 3,
    /// <summary>A server's reply or a configured peer's packet went to its association.</summary>
    Association = 4,
}
