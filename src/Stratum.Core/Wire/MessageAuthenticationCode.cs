// MessageAuthenticationCode: where the MAC of a packet sits (RFC 5905 §7.3 "Key Identifier" and
// "dgst"). A 4-byte MAC is a crypto-NAK (key id 0, no digest). Verification and signing live in
// Core/Auth; the codec only locates the fields.
using System.Buffers.Binary;

namespace Stratum.Core.Wire;

/// <summary>A MAC's key id and the position of its digest in the packet.</summary>
public readonly record struct MessageAuthenticationCode(uint KeyId, int DigestOffset, int DigestLength)
{
    /// <summary>A 4-byte MAC with no digest: the crypto-NAK a server sends when it cannot authenticate.</summary>
    public bool IsCryptoNak => DigestLength == 0;

    /// <summary>Appends key id and digest after <paramref name="authenticatedLength"/> bytes; returns the new length.</summary>
    public static int Write(Span<byte> packet, int authenticatedLength, uint keyId, ReadOnlySpan<byte> digest)
    {
        BinaryPrimitives.WriteUInt32BigEndian(packet[authenticatedLength..], keyId);
        digest.CopyTo(packet[(authenticatedLength + 4)..]);
        return authenticatedLength + 4 + digest.Length;
    }
}
