// WriteRequestFreshness: keeps an authenticated mode 6 write (CONFIGURE, WRITEVAR) from being replayed.
// Mode 6 has no timestamp, and ntpd's and NTPsec's ntpq send a :config as bare text, so two rules:
// every signed write is accepted once — the MACs of accepted writes are remembered (the last 1024; a MAC
// covers the sequence number and text, so an identical datagram is a copy) — and a write whose text
// ends with a line `# nonce=N` (a comment to any ntpd's config parser, covered by the MAC) must carry a
// nonce this server issued to the same client address and port within the last 16 s (ControlNonce).
// Stratum's ntpq fetches a nonce and adds that line, so its writes are fresh, not only unique.
using Stratum.Core.Mode6;
using Stratum.Engine.Access;

namespace Stratum.Engine.Control;

/// <summary>Why a signed write request was refused as not fresh.</summary>
internal enum WriteFreshnessVerdict
{
    /// <summary>Fresh (or at least never seen): carry it out.</summary>
    Fresh,

    /// <summary>A copy of a write already carried out.</summary>
    Replayed,

    /// <summary>Its `# nonce=` line names a nonce not issued to this client, or issued more than 16 s ago.</summary>
    StaleNonce,
}

/// <summary>Replay and freshness checks for signed mode 6 writes.</summary>
internal sealed class WriteRequestFreshness
{
    /// <summary>How many accepted writes are remembered.</summary>
    public const int RememberedWrites = 1024;

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>Decides on a signed write; remembers it when fresh.</summary>
    /// <param name="request">The whole datagram, MAC included.</param>
    /// <param name="dataCount">The header's count of data octets.</param>
    /// <param name="text">The request's text (CONFIGURE) or assignments (WRITEVAR).</param>
    /// <param name="nonces">The server's nonces.</param>
    public WriteFreshnessVerdict Check(ReadOnlySpan<byte> request, int dataCount, ReadOnlySpan<byte> text, ControlNonce nonces, in ClientAddress client, LoopTime now)
    {
        ArgumentNullException.ThrowIfNull(nonces);
        if (ControlWriteNonce.TryFind(text, out ReadOnlySpan<byte> nonce) && !nonces.IsValid(nonce, client, now))
        {
            return WriteFreshnessVerdict.StaleNonce;
        }

        int macStart = Math.Min(request.Length, ControlMac.SignedPrefixLength(dataCount));
        string mac = Convert.ToHexString(request[macStart..]);
        if (!_seen.Add(mac))
        {
            return WriteFreshnessVerdict.Replayed;
        }

        _order.Enqueue(mac);
        if (_order.Count > RememberedWrites)
        {
            _seen.Remove(_order.Dequeue());
        }

        return WriteFreshnessVerdict.Fresh;
    }
}
