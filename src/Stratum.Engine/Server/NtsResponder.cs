// NtsResponder: the time server's NTS half (RFC 8915 §5.7). Given a client request with NTS fields and the
// server reply's 48-byte header already written (timestamps included: the authenticator covers them), it
// opens the request's cookie with the master key that sealed it, checks the request's authenticator with
// the cookie's C2S key, and completes the reply: the request's unique identifier, then an authenticator
// sealed with S2C over new cookies, one plus one per placeholder (at most eight), sealed under the current
// master key. A cookie no key opens or an authenticator that fails gets the NTS NAK: a kiss-o'-death
// "NTSN" carrying only the unique identifier, unauthenticated, so the client redoes the key exchange. A
// request without well-formed NTS fields is not this responder's (dropped, counted). Nonces and cookies come from
// the system CSPRNG (as the key exchange's do), not the Engine's injected random source: they must be unguessable.
// Not yet wired into the daemon's server path.
using System.Security.Cryptography;
using Stratum.Core.Nts;
using Stratum.Core.Time;
using Stratum.Core.Wire;

namespace Stratum.Engine.Server;

/// <summary>What the NTS responder made of a request.</summary>
public enum NtsOutcome
{
    /// <summary>An authenticated reply with new cookies.</summary>
    Reply,
    /// <summary>The NTS NAK (kiss code NTSN).</summary>
    Nak,
    /// <summary>Not an NTS request it can answer: nothing is sent.</summary>
    Drop,
}

/// <summary>Answers NTS-protected client requests.</summary>
/// <param name="keyById">The master key with an id, or null when it is unknown or retired.</param>
/// <param name="currentKey">The master key new cookies are sealed with.</param>
public sealed class NtsResponder(Func<uint, NtsCookieKey?> keyById, Func<NtsCookieKey> currentKey)
{
    /// <summary>The most cookies one reply carries (RFC 8915 §5.7: one per cookie and placeholder of the request).</summary>
    public const int MaxCookiesPerReply = 8;

    private static readonly ReferenceId s_nak = ReferenceId.FromAscii("NTSN");

    public long Replies { get; private set; }

    public long Naks { get; private set; }

    public long Dropped { get; private set; }

    /// <summary>Completes <paramref name="reply"/>, whose first 48 bytes are the server's reply header; returns the
    /// outcome and the reply's length (0 for Drop).</summary>
    public NtsOutcome Respond(ReadOnlySpan<byte> request, Span<byte> reply, out int length)
    {
        length = 0;
        if (NtsExtensionFields.TryRead(request, isRequest: true, out NtsFields fields) != NtsPacketFailure.None)
        {
            Dropped++;
            return NtsOutcome.Drop;
        }

        if (NtsCookieKey.IdOf(fields.Cookie) is not uint id || keyById(id) is not { } key || !key.TryOpen(fields.Cookie, out NtsSessionKeys keys))
        {
            length = Nak(fields.UniqueIdentifier, reply);
            return NtsOutcome.Nak;
        }

        using (var c2s = new AesSiv(keys.ClientToServer))
        {
            Span<byte> plaintext = stackalloc byte[Math.Max(0, fields.Ciphertext.Length - AesSiv.TagSize)];
            if (NtsExtensionFields.TryOpen(request, fields, c2s, plaintext, out _) != NtsPacketFailure.None)
            {
                length = Nak(fields.UniqueIdentifier, reply);
                return NtsOutcome.Nak;
            }
        }

        NtsCookieKey sealer = currentKey();
        int count = Math.Min(MaxCookiesPerReply, 1 + fields.Placeholders);
        var cookies = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            cookies[i] = sealer.Seal(keys);
        }

        Span<byte> encrypted = stackalloc byte[count * (cookies[0].Length + 4 + 4)];
        int encryptedLength = NtsExtensionFields.WriteCookieFields(cookies, encrypted);
        Span<byte> nonce = stackalloc byte[NtsExtensionFields.NonceLength];
        RandomNumberGenerator.Fill(nonce);
        using (var s2c = new AesSiv(keys.ServerToClient))
        {
            length = NtsExtensionFields.WriteResponse(reply, fields.UniqueIdentifier, encrypted[..encryptedLength], s2c, nonce);
        }

        Replies++;
        return NtsOutcome.Reply;
    }

    // RFC 8915 §5.7: the NAK is a kiss-o'-death with code NTSN and the unique identifier, nothing else.
    private int Nak(ReadOnlySpan<byte> uniqueIdentifier, Span<byte> reply)
    {
        Naks++;
        NtpHeader header = NtpHeader.Read(reply);
        new NtpHeader(LeapIndicator.Unsynchronized, header.Version, NtpMode.Server, 0, header.Poll, header.Precision, NtpShort.Zero, NtpShort.Zero,
            s_nak, NtpTimestamp.Zero, header.OriginTime, header.ReceiveTime, header.TransmitTime).Write(reply);
        return NtpHeader.Size + ExtensionField.Write(NtsExtensionFields.UniqueIdentifierType, uniqueIdentifier, reply[NtpHeader.Size..]);
    }
}
