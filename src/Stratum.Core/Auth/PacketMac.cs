// PacketMac: the symmetric-key MAC of an NTP packet (RFC 5905 §7.3 and appendix A.2; RFC 8573 for
// AES-CMAC; ntpd 4.2.8 authopt.html). For a digest key type the MAC is the digest of the key's
// secret followed by the packet's header and extension fields — MD5's 16 octets, SHA-1's 20, and
// SHA-2 digests cut to 20 so the MAC fits the 24-octet field ntpd sends; for AES128CMAC it is the
// 16-octet CMAC of the packet under the key. On the wire the MAC is the 32-bit key id followed by
// that digest. MD5 uses the managed Md5Digest, so a daemon with only MD5 keys never loads OpenSSL.
// Verification compares in constant time. Nothing here allocates for packets up to 1 KiB (an AES-CMAC
// key uses the cipher it loaded once, SymmetricKey.Cmac).
using System.Buffers.Binary;
using System.Security.Cryptography;
using Stratum.Core.Wire;

namespace Stratum.Core.Auth;

/// <summary>Computes, appends and checks the MAC of an NTP packet.</summary>
public static class PacketMac
{
    /// <summary>Longest digest on the wire (SHA-1's; longer digests are truncated to it).</summary>
    public const int MaxDigestLength = 20;

    /// <summary>Bytes of the key id in front of the digest.</summary>
    public const int KeyIdLength = 4;

    /// <summary>Key plus packet up to this size are hashed from a stack buffer.</summary>
    private const int StackLimit = 1100;

    /// <summary>Octets of digest a key of <paramref name="type"/> puts on the wire.</summary>
    public static int DigestLength(KeyType type) => type is KeyType.Md5 or KeyType.Aes128Cmac ? 16 : MaxDigestLength;

    /// <summary>Writes the digest of <paramref name="message"/> (header and extension fields) under
    /// <paramref name="key"/> into <paramref name="digest"/>; returns its length.</summary>
    public static int Compute(SymmetricKey key, ReadOnlySpan<byte> message, Span<byte> digest)
    {
        ArgumentNullException.ThrowIfNull(key);
        int length = DigestLength(key.Type);
        if (digest.Length < length)
        {
            throw new ArgumentException($"a {key.Type} MAC needs {length} bytes", nameof(digest));
        }

        if (key.Type == KeyType.Aes128Cmac)
        {
            // The key's loaded cipher; a disposed one (keys replaced meanwhile) falls back to a one-shot
            // MAC. A longer hex secret is cut to the 128 bits AES-128 takes.
            if (key.Cmac?.TryCompute(message, digest) != true)
            {
                AesCmac.Compute(key.Secret[..AesCmac.KeySize], message, digest);
            }

            return length;
        }

        int total = key.Secret.Length + message.Length;
        byte[]? rented = total > StackLimit ? System.Buffers.ArrayPool<byte>.Shared.Rent(total) : null;
        Span<byte> input = rented is null ? stackalloc byte[StackLimit] : rented;
        input = input[..total];
        key.Secret.CopyTo(input);
        message.CopyTo(input[key.Secret.Length..]);
        Span<byte> full = stackalloc byte[64];
#pragma warning disable CA5350 // Reason: SHA-1 keys are what ntp.keys files carry (RFC 8573 recommends AES-CMAC; both work).
        int written = key.Type switch
        {
            KeyType.Md5 => Md5(input, full),
            KeyType.Sha1 => SHA1.HashData(input, full),
            KeyType.Sha256 => SHA256.HashData(input, full),
            KeyType.Sha384 => SHA384.HashData(input, full),
            _ => SHA512.HashData(input, full),
        };
#pragma warning restore CA5350
        full[..Math.Min(written, length)].CopyTo(digest);
        CryptographicOperations.ZeroMemory(input);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        return length;
    }

    /// <summary>Appends key id and digest to the <paramref name="length"/> bytes of
    /// <paramref name="packet"/> already written; returns the new length.</summary>
    public static int Append(SymmetricKey key, Span<byte> packet, int length)
    {
        ArgumentNullException.ThrowIfNull(key);
        BinaryPrimitives.WriteUInt32BigEndian(packet[length..], key.KeyId);
        int digestLength = Compute(key, packet[..length], packet[(length + KeyIdLength)..]);
        return length + KeyIdLength + digestLength;
    }

    /// <summary>True when <paramref name="packet"/> carries a MAC by <paramref name="key"/> that matches its contents.</summary>
    public static bool Verify(SymmetricKey key, in NtpPacket packet)
    {
        ArgumentNullException.ThrowIfNull(key);
        ReadOnlySpan<byte> received = packet.MacDigest;
        if (!packet.HasMac || packet.Mac.KeyId != key.KeyId || received.Length != DigestLength(key.Type))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[MaxDigestLength];
        int length = Compute(key, packet.AuthenticatedBytes, expected);
        return CryptographicOperations.FixedTimeEquals(expected[..length], received);
    }

    private static int Md5(ReadOnlySpan<byte> input, Span<byte> digest)
    {
        Md5Digest.Hash(input, digest);
        return Md5Digest.Size;
    }
}
