// MacSigner: lets a fuzz input ask the harness to sign its datagram, since AFL cannot find a valid
// MD5, SHA1 or AES-CMAC digest by mutation. An option picks one of MacChoice: leave the datagram as
// it is (a MAC it carries is checked as sent), sign it with one of the fixture's keys (trusted MD5,
// SHA1, AES-CMAC; the untrusted key; the key usable only from 192.0.2.0/24), sign it and then flip a
// digest bit, sign with a digest under a key id no key has, or append a crypto-NAK (a zero key id
// alone). An NTP packet is signed after its first multiple-of-4 octets (RFC 5905 §7.3); a mode 6
// message after its header and Count data octets padded to 8 (ControlMac), so the Count field the
// fuzzer chose decides where the MAC goes, as it does for the responder.
using System.Buffers.Binary;
using Stratum.Core.Auth;
using Stratum.Core.Mode6;
using Stratum.Core.Wire;

namespace Stratum.Fuzz.Targets;

/// <summary>What the harness does to a datagram's MAC.</summary>
internal enum MacChoice : byte
{
    AsSent = 0,
    Md5 = 1,
    Sha1 = 2,
    AesCmac = 3,
    UntrustedKey = 4,
    LanOnlyKey = 5,
    CorruptedDigest = 6,
    UnknownKeyId = 7,
    CryptoNak = 8,
}

/// <summary>Appends the MAC a <see cref="MacChoice"/> asks for.</summary>
internal static class MacSigner
{
    public const int ChoiceCount = 9;

    /// <summary>The choice named by an option value (any value maps to one).</summary>
    public static MacChoice Choice(int option) => (MacChoice)(option % ChoiceCount);

    /// <summary>The fixture key a choice signs with, or null (as sent, crypto-NAK).</summary>
    public static SymmetricKey? KeyOf(MacChoice choice) => choice switch
    {
        MacChoice.Md5 or MacChoice.CorruptedDigest or MacChoice.UnknownKeyId => EngineFixture.Key(EngineFixture.Md5KeyId),
        MacChoice.Sha1 => EngineFixture.Key(EngineFixture.Sha1KeyId),
        MacChoice.AesCmac => EngineFixture.Key(EngineFixture.AesCmacKeyId),
        MacChoice.UntrustedKey => EngineFixture.Key(EngineFixture.UntrustedKeyId),
        MacChoice.LanOnlyKey => EngineFixture.Key(EngineFixture.LanOnlyKeyId),
        _ => null,
    };

    /// <summary>An NTP packet: the datagram's first multiple-of-4 octets, then the MAC.</summary>
    public static byte[] SignPacket(ReadOnlySpan<byte> datagram, MacChoice choice)
    {
        if (choice == MacChoice.AsSent)
        {
            return datagram.ToArray();
        }

        int body = datagram.Length & ~3;
        var signed = new byte[body + NtpPacket.MaxMacLength];
        datagram[..body].CopyTo(signed);
        int length = Append(signed, body, choice);
        return signed[..length];
    }

    /// <summary>A mode 6 message: header and Count data octets (as many as there are) padded to 8, then the MAC.</summary>
    public static byte[] SignControl(ReadOnlySpan<byte> datagram, MacChoice choice)
    {
        if (choice == MacChoice.AsSent || datagram.Length < ControlMessage.HeaderSize)
        {
            return datagram.ToArray();
        }

        int count = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(datagram[10..]), datagram.Length - ControlMessage.HeaderSize);
        int prefix = ControlMac.SignedPrefixLength(count);
        var signed = new byte[prefix + ControlMac.MaximumLength];
        datagram[..(ControlMessage.HeaderSize + count)].CopyTo(signed);
        int length = Append(signed, prefix, choice);
        return signed[..length];
    }

    /// <summary>Appends the MAC at <paramref name="offset"/> (zeros before it already in place); returns the length.</summary>
    private static int Append(Span<byte> buffer, int offset, MacChoice choice)
    {
        if (choice == MacChoice.CryptoNak)
        {
            BinaryPrimitives.WriteUInt32BigEndian(buffer[offset..], 0);
            return offset + PacketMac.KeyIdLength;
        }

        SymmetricKey key = KeyOf(choice)!;
        int length = PacketMac.Append(key, buffer, offset);
        if (choice == MacChoice.CorruptedDigest)
        {
            buffer[length - 1] ^= 0x01;
        }
        else if (choice == MacChoice.UnknownKeyId)
        {
            BinaryPrimitives.WriteUInt32BigEndian(buffer[offset..], EngineFixture.UnknownKeyId);
        }

        return length;
    }
}
