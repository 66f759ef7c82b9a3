// DatagramResult: NtpEngine.OnDatagram's answer: the disposition, the length of a reply written into
// the caller's buffer, the key to sign it with after the transmit stamp (and what to add to that stamp
// during a leap smear), and — when the time server
// or the query gate decided — its decision, for counters and the -d trace line. A value type, so the
// server path allocates nothing.
using Stratum.Core.Auth;
using Stratum.Engine.Server;

namespace Stratum.Engine;

/// <summary>What to do after one datagram.</summary>
/// <param name="Disposition">What became of it.</param>
/// <param name="ReplyLength">Bytes of the reply buffer to send (Reply, Kod), else 0.</param>
/// <param name="Decision">The time server's or the query gate's decision, or null when neither decided
/// (an answered query, a reply for an association, a datagram on an association socket).</param>
/// <param name="MacKey">For a Reply: sign with this key after the transmit timestamp is written.</param>
public readonly record struct DatagramResult(DatagramDisposition Disposition, int ReplyLength, ServerDecision? Decision, SymmetricKey? MacKey)
{
    /// <summary>Nothing to send and nothing to report.</summary>
    public static DatagramResult Ignored => default;

    /// <summary>Answered by the control responders (answers in the actions).</summary>
    public static DatagramResult Answered => new(DatagramDisposition.Answered, 0, null, null);

    /// <summary>Handed to an association.</summary>
    public static DatagramResult ForAssociation => new(DatagramDisposition.Association, 0, null, null);

    /// <summary>For a Reply: nanoseconds the host adds to the transmit timestamp it writes (a leap smear's offset).</summary>
    public long TransmitOffsetNanoseconds { get; init; }

    /// <summary>For a Reply: an interleaved reply (RFC 9769), its transmit timestamp already written.</summary>
    public bool IsInterleaved { get; init; }

    /// <summary>For a Reply: the key under which the host records the kernel's transmit stamp of this reply
    /// (ServerResponder.Interleaved), or 0.</summary>
    public ulong TransmitCaptureKey { get; init; }

    /// <summary>True when the reply buffer holds a reply whose transmit timestamp the host writes.</summary>
    public bool StampTransmit => Disposition == DatagramDisposition.Reply && !IsInterleaved;
}
