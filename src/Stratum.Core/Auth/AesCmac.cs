// AesCmac: AES-CMAC (RFC 4493) with a 16-octet AES-128 key and a 16-octet MAC, the MAC of the
// AES128CMAC key type of the keys file (RFC 8573, "Message Authentication Code for the Network
// Time Protocol", which makes it the recommended NTP symmetric-key MAC in place of MD5). CMAC is a
// CBC-MAC over the message with a zero IV whose last block is first XORed with one of two subkeys
// derived from the key (RFC 4493 §2.3): K1 when the message ends on a whole block, K2 when the last
// block is partial (or the message is empty) and has been padded with a 1 bit and zeros (§2.4).
// AES itself is the platform's, one ECB block at a time; the chaining, subkeys and padding are here.
// Written from the RFC, not copied from any other project; the tests check RFC 4493 §4's vectors.
// Blocks live on the stack and subkeys are wiped after use; only the platform's Aes object allocates.
using System.Security.Cryptography;

namespace Stratum.Core.Auth;

/// <summary>AES-128-CMAC (RFC 4493) of a byte span, for AES128CMAC keys (RFC 8573).</summary>
public static class AesCmac
{
    /// <summary>Bytes in a key (AES-128).</summary>
    public const int KeySize = 16;

    /// <summary>Bytes in a MAC (the full, untruncated CMAC tag).</summary>
    public const int MacSize = 16;

    /// <summary>The AES block size in bytes.</summary>
    private const int BlockSize = 16;

    /// <summary>R_128 of RFC 4493 §2.3: the low byte of the constant XORed in when a doubling carries out.</summary>
    private const byte Rb = 0x87;

    /// <summary>
    /// Writes the CMAC of <paramref name="message"/> under <paramref name="key"/> into the first 16 bytes
    /// of <paramref name="mac"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not 16 bytes, or <paramref name="mac"/> is shorter than 16.</exception>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, Span<byte> mac)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"an AES-128-CMAC key has {KeySize} bytes, not {key.Length}", nameof(key));
        }

        if (mac.Length < MacSize)
        {
            throw new ArgumentException($"an AES-128-CMAC MAC needs {MacSize} bytes", nameof(mac));
        }

        using Aes aes = Aes.Create();
        aes.SetKey(key);

        Span<byte> block = stackalloc byte[BlockSize];
        Span<byte> chain = stackalloc byte[BlockSize];
        Span<byte> subkey = stackalloc byte[BlockSize];

        // Subkeys (§2.3): L = AES-128(K, 0^128); K1 = L doubled in GF(2^128); K2 = K1 doubled.
        block.Clear();
        aes.EncryptEcb(block, subkey, PaddingMode.None);

        // Blocks (§2.4 steps 2–3): n = ceil(len / 16), at least 1; the last is complete only when the
        // message is non-empty and a whole number of blocks.
        int blocks = Math.Max(1, (message.Length + BlockSize - 1) / BlockSize);
        int lastOffset = (blocks - 1) * BlockSize;
        ReadOnlySpan<byte> last = message[lastOffset..];
        bool lastComplete = last.Length == BlockSize;

        // Step 4: M_last = M_n XOR K1 when complete, else padding(M_n) XOR K2, padding being
        // M_n || 10^i to 16 bytes.
        Double(subkey);
        if (!lastComplete)
        {
            Double(subkey);
        }

        // Steps 5–6: X = 0^128; Y = X XOR M_i; X = AES-128(K, Y) for i = 1 .. n-1.
        chain.Clear();
        for (int offset = 0; offset < lastOffset; offset += BlockSize)
        {
            Xor(chain, message.Slice(offset, BlockSize), block);
            aes.EncryptEcb(block, chain, PaddingMode.None);
        }

        // Step 7 with step 4's last block: T = AES-128(K, M_last XOR X).
        block.Clear();
        last.CopyTo(block);
        if (!lastComplete)
        {
            block[last.Length] = 0x80;
        }

        Xor(block, subkey, block);
        Xor(block, chain, block);
        aes.EncryptEcb(block, mac[..MacSize], PaddingMode.None);

        CryptographicOperations.ZeroMemory(subkey);
        CryptographicOperations.ZeroMemory(block);
        CryptographicOperations.ZeroMemory(chain);
    }

    /// <summary>
    /// True when <paramref name="expectedMac"/> is 16 bytes and equals the CMAC of <paramref name="message"/>
    /// under <paramref name="key"/>; compared in time independent of where they differ.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not 16 bytes.</exception>
    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> expectedMac)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"an AES-128-CMAC key has {KeySize} bytes, not {key.Length}", nameof(key));
        }

        if (expectedMac.Length != MacSize)
        {
            return false;
        }

        Span<byte> computed = stackalloc byte[MacSize];
        Compute(key, message, computed);
        return CryptographicOperations.FixedTimeEquals(computed, expectedMac);
    }

    /// <summary>
    /// Multiplies a 128-bit big-endian value by x in GF(2^128) in place (RFC 4493 §2.3): a left shift
    /// by one bit, XORing R_128 into the low byte when the most significant bit shifted out. The
    /// conditional XOR is a mask, not a branch, so the time does not depend on the key-derived bit.
    /// </summary>
    private static void Double(Span<byte> value)
    {
        int carry = value[0] >> 7;
        for (int i = 0; i < BlockSize - 1; i++)
        {
            value[i] = (byte)((value[i] << 1) | (value[i + 1] >> 7));
        }

        value[BlockSize - 1] = (byte)((value[BlockSize - 1] << 1) ^ (Rb & -carry));
    }

    /// <summary><paramref name="destination"/> = <paramref name="left"/> XOR <paramref name="right"/>, one block.</summary>
    private static void Xor(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        for (int i = 0; i < BlockSize; i++)
        {
            destination[i] = (byte)(left[i] ^ right[i]);
        }
    }
}
