// AesCmac: AES-CMAC (RFC 4493) with a 16-octet AES-128 key and a 16-octet MAC, the MAC of the
// AES128CMAC key type of the keys file (RFC 8573, "Message Authentication Code for the Network
// Time Protocol", which makes it the recommended NTP symmetric-key MAC in place of MD5). CMAC is a
// CBC-MAC over the message with a zero IV whose last block is first XORed with one of two subkeys
// derived from the key (RFC 4493 §2.3): K1 when the message ends on a whole block, K2 when the last
// block is partial (or the message is empty) and has been padded with a 1 bit and zeros (§2.4).
// AES itself is the platform's, one ECB block at a time; the chaining, subkeys and padding are in
// AesCmacKey, which a loaded key keeps (SymmetricKey) so that checking a packet allocates nothing.
// These one-shot forms build a throw-away AesCmacKey: for a key used once (tests, tools).
// Written from the RFC, not copied from any other project; the tests check RFC 4493 §4's vectors.
namespace Stratum.Core.Auth;

/// <summary>AES-128-CMAC (RFC 4493) of a byte span, for AES128CMAC keys (RFC 8573).</summary>
public static class AesCmac
{
    /// <summary>Bytes in a key (AES-128).</summary>
    public const int KeySize = 16;

    /// <summary>Bytes in a MAC (the full, untruncated CMAC tag).</summary>
    public const int MacSize = 16;

    /// <summary>
    /// Writes the CMAC of <paramref name="message"/> under <paramref name="key"/> into the first 16 bytes
    /// of <paramref name="mac"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not 16 bytes, or <paramref name="mac"/> is shorter than 16.</exception>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, Span<byte> mac)
    {
        using var loaded = new AesCmacKey(key);
        _ = loaded.TryCompute(message, mac);
    }

    /// <summary>
    /// True when <paramref name="expectedMac"/> is 16 bytes and equals the CMAC of <paramref name="message"/>
    /// under <paramref name="key"/>; compared in time independent of where they differ.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not 16 bytes.</exception>
    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> expectedMac)
    {
        using var loaded = new AesCmacKey(key);
        return loaded.Verify(message, expectedMac);
    }
}
