// PacketTarget: NtpPacket.TryRead over any datagram (header, RFC 7822 extension fields, MAC).
// Beyond "no exception": a failure names a reason; a parsed packet's parts add up to the
// datagram; its header re-encodes to the same 48 octets; each extension field re-encodes to the
// octets it was read from; the MAC re-encodes to the packet's tail; checking the MAC with a key of
// its id and digest size never throws, and the same octets signed with that key verify.
using System.Buffers.Binary;
using Stratum.Core.Auth;
using Stratum.Core.Wire;

namespace Stratum.Fuzz.Targets;

internal static class PacketTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        bool peeked = NtpPacket.TryPeekMode(input, out NtpMode mode, out byte version);
        FuzzInvariantException.Check(peeked == !input.IsEmpty, "TryPeekMode disagrees with the input length");
        if (!NtpPacket.TryRead(input, out NtpPacket packet, out PacketError error))
        {
            FuzzInvariantException.Check(error != PacketError.None, "TryRead failed without a reason");
            return;
        }

        FuzzInvariantException.Check(error == PacketError.None, $"TryRead succeeded with error {error}");
        FuzzInvariantException.Check(NtpHeader.Size + packet.ExtensionsLength + packet.MacLength == input.Length, "header, extensions and MAC do not add up to the datagram");
        FuzzInvariantException.Check(packet.Header.Mode == mode && packet.Header.Version == version, "header disagrees with TryPeekMode");
        FuzzInvariantException.Check(packet.AuthenticatedBytes.Length == NtpHeader.Size + packet.ExtensionsLength, "authenticated bytes are not header + extensions");

        Span<byte> header = stackalloc byte[NtpHeader.Size];
        packet.Header.Write(header);
        FuzzInvariantException.Check(header.SequenceEqual(input[..NtpHeader.Size]), "header does not re-encode to the same 48 octets");

        CheckExtensionFields(input, packet);
        CheckMac(input, packet);
    }

    private static void CheckExtensionFields(ReadOnlySpan<byte> input, NtpPacket packet)
    {
        Span<byte> encoded = stackalloc byte[NtpPacket.MaxLength];
        int offset = NtpHeader.Size;
        int fields = 0;
        foreach (ExtensionField field in packet.ExtensionFields)
        {
            FuzzInvariantException.Check(++fields <= NtpPacket.MaxLength / ExtensionField.MinLength, "more extension fields than fit in a packet");
            FuzzInvariantException.Check(field.Length >= ExtensionField.MinLength && (field.Length & 3) == 0, $"extension field of length {field.Length}");
            int written = ExtensionField.Write(field.FieldType, field.Value, encoded);
            FuzzInvariantException.Check(written == field.Length, $"extension field re-encodes to {written} octets, not {field.Length}");
            FuzzInvariantException.Check(encoded[..written].SequenceEqual(input.Slice(offset, written)), "extension field does not re-encode to its octets");
            offset += written;
        }

        FuzzInvariantException.Check(offset == NtpHeader.Size + packet.ExtensionsLength, "extension fields do not cover ExtensionsLength");
    }

    private static void CheckMac(ReadOnlySpan<byte> input, NtpPacket packet)
    {
        if (!packet.HasMac)
        {
            FuzzInvariantException.Check(packet.MacDigest.IsEmpty, "digest without a MAC");
            return;
        }

        MessageAuthenticationCode mac = packet.Mac;
        FuzzInvariantException.Check(mac.KeyId == BinaryPrimitives.ReadUInt32BigEndian(input[^packet.MacLength..]), "MAC key id is not the first word of the MAC");
        FuzzInvariantException.Check(mac.DigestLength == packet.MacDigest.Length && mac.DigestOffset + mac.DigestLength == input.Length, "MAC digest position is wrong");
        FuzzInvariantException.Check(mac.IsCryptoNak == (packet.MacLength == 4), "crypto-NAK is not the 4-octet MAC");

        Span<byte> copy = stackalloc byte[input.Length];
        input.CopyTo(copy);
        int authenticated = packet.AuthenticatedBytes.Length;
        copy[authenticated..].Clear();
        int length = MessageAuthenticationCode.Write(copy, authenticated, mac.KeyId, packet.MacDigest);
        FuzzInvariantException.Check(length == input.Length && copy.SequenceEqual(input), "MAC does not re-encode to the packet's tail");
        CheckSigning(input, packet);
    }

    private static void CheckSigning(ReadOnlySpan<byte> input, NtpPacket packet)
    {
        MessageAuthenticationCode mac = packet.Mac;
        if (mac.IsCryptoNak || mac.KeyId is 0 or > ushort.MaxValue || mac.DigestLength is not (16 or 20))
        {
            return;
        }

        var key = new SymmetricKey((ushort)mac.KeyId, mac.DigestLength == 16 ? KeyType.Md5 : KeyType.Sha1, "fuzz"u8, []);
        _ = PacketMac.Verify(key, packet);
        int authenticated = packet.AuthenticatedBytes.Length;
        Span<byte> signed = stackalloc byte[authenticated + NtpPacket.MaxMacLength];
        input[..authenticated].CopyTo(signed);
        int signedLength = PacketMac.Append(key, signed, authenticated);
        FuzzInvariantException.Check(NtpPacket.TryRead(signed[..signedLength], out NtpPacket resigned, out _) && PacketMac.Verify(key, resigned),
            "a packet signed with a key does not verify with it");
    }
}
