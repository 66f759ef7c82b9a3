// ControlMac: the symmetric-key MAC of a mode 6 control message (RFC 1305 appendix B.1;
// draft-ietf-ntp-mode-6-cmds §3; ntpd 4.2.8 ntp_control.c and ntpq.c). A signed message is the
// header and data, zero-padded so the MAC starts on a 64-bit boundary counted from the start of the
// header, then the 32-bit key id and the digest of everything before it (PacketMac.Compute, the
// same digest as for NTP packets). A receiver finds the MAC from the Count field: what follows
// the data padded to 8 octets, when it is between 4 and 24 octets long and the datagram a
// multiple of 4. Used by the daemon (controlkey writes, signed answers) and by ntpq (:config).
using System.Buffers.Binary;
using System.Security.Cryptography;
using Stratum.Core.Auth;

namespace Stratum.Core.Mode6;

/// <summary>Finds, checks and appends the MAC of a mode 6 message.</summary>
public static class ControlMac
{
    /// <summary>Shortest trailer taken as a MAC (ntpd MIN_MAC_LEN: the key id alone).</summary>
    public const int MinimumLength = PacketMac.KeyIdLength;

    /// <summary>Longest trailer taken as a MAC (ntpd MAX_MAC_LEN: key id and a 20-octet digest).</summary>
    public const int MaximumLength = PacketMac.KeyIdLength + PacketMac.MaxDigestLength;

    /// <summary>Octets of header and data before the MAC: rounded up to a multiple of 8.</summary>
    public static int SignedPrefixLength(int dataCount) => (ControlMessage.HeaderSize + dataCount + 7) & ~7;

    /// <summary>Length of a message with <paramref name="dataCount"/> data octets signed by <paramref name="key"/>.</summary>
    public static int SignedLength(int dataCount, SymmetricKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SignedPrefixLength(dataCount) + PacketMac.KeyIdLength + PacketMac.DigestLength(key.Type);
    }

    /// <summary>
    /// True when <paramref name="datagram"/>, whose header says <paramref name="dataCount"/> data
    /// octets, carries a MAC trailer; gives its key id.
    /// </summary>
    public static bool TryFind(ReadOnlySpan<byte> datagram, int dataCount, out uint keyId)
    {
        keyId = 0;
        int prefix = SignedPrefixLength(dataCount);
        int trailer = datagram.Length - prefix;
        if ((datagram.Length & 3) != 0 || trailer < MinimumLength || trailer > MaximumLength)
        {
            return false;
        }

        keyId = BinaryPrimitives.ReadUInt32BigEndian(datagram[prefix..]);
        return true;
    }

    /// <summary>True when the MAC of <paramref name="datagram"/> is <paramref name="key"/>'s and matches.</summary>
    public static bool Verify(SymmetricKey key, ReadOnlySpan<byte> datagram, int dataCount)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!TryFind(datagram, dataCount, out uint keyId) || keyId != key.KeyId)
        {
            return false;
        }

        int prefix = SignedPrefixLength(dataCount);
        ReadOnlySpan<byte> received = datagram[(prefix + PacketMac.KeyIdLength)..];
        if (received.Length != PacketMac.DigestLength(key.Type))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[PacketMac.MaxDigestLength];
        int length = PacketMac.Compute(key, datagram[..prefix], expected);
        return CryptographicOperations.FixedTimeEquals(expected[..length], received);
    }

    /// <summary>
    /// Signs a message whose header and data (<paramref name="dataCount"/> octets) are at the start
    /// of <paramref name="buffer"/>: zero-pads to 8, appends key id and digest; returns the length.
    /// <paramref name="buffer"/> must hold <see cref="SignedLength"/> octets.
    /// </summary>
    public static int Sign(SymmetricKey key, Span<byte> buffer, int dataCount)
    {
        ArgumentNullException.ThrowIfNull(key);
        int prefix = SignedPrefixLength(dataCount);
        buffer[(ControlMessage.HeaderSize + dataCount)..prefix].Clear();
        return PacketMac.Append(key, buffer, prefix);
    }

    /// <summary>A copy of <paramref name="message"/> (header, data and 4-octet padding) signed by <paramref name="key"/>.</summary>
    public static byte[] SignCopy(SymmetricKey key, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(key);
        int dataCount = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        var signed = new byte[SignedLength(dataCount, key)];
        message[..(ControlMessage.HeaderSize + dataCount)].CopyTo(signed);
        Sign(key, signed, dataCount);
        return signed;
    }
}
