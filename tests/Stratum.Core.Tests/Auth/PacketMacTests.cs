// PacketMac: the digest MACs are H(secret || packet) (RFC 5905 §7.3), checked against the platform's
// digests; SHA-2 digests are cut to 20 octets; AES128CMAC uses the first 16 octets of the secret;
// Append then Verify round-trips for every key type, and a changed byte, another key id or a
// crypto-NAK fails.
using System.Security.Cryptography;
using Stratum.Core.Auth;
using Stratum.Core.Wire;

namespace Stratum.Core.Tests.Auth;

public class PacketMacTests
{
    private static byte[] Packet()
    {
        var packet = new byte[48 + PacketMac.KeyIdLength + PacketMac.MaxDigestLength];
        packet[0] = 0x23;
        for (int i = 40; i < 48; i++)
        {
            packet[i] = (byte)(i * 7);
        }

        return packet;
    }

    private static SymmetricKey Key(KeyType type, string secret, ushort id = 7) =>
        new(id, type, System.Text.Encoding.ASCII.GetBytes(secret), []);

    [Fact]
    public void Md5AndSha1_AreTheDigestOfSecretThenPacket()
    {
        byte[] packet = Packet();
        byte[] secretThenPacket = [.. "Ab!c7"u8.ToArray(), .. packet.AsSpan(0, 48).ToArray()];
        var digest = new byte[20];

        Assert.Equal(16, PacketMac.Compute(Key(KeyType.Md5, "Ab!c7"), packet.AsSpan(0, 48), digest));
#pragma warning disable CA5351, CA5350 // Reason: the references to compare with; the protocol's own algorithms.
        Assert.Equal(MD5.HashData(secretThenPacket), digest[..16]);
        Assert.Equal(20, PacketMac.Compute(Key(KeyType.Sha1, "Ab!c7"), packet.AsSpan(0, 48), digest));
        Assert.Equal(SHA1.HashData(secretThenPacket), digest);
#pragma warning restore CA5351, CA5350
        Assert.Equal(20, PacketMac.Compute(Key(KeyType.Sha256, "Ab!c7"), packet.AsSpan(0, 48), digest));
        Assert.Equal(SHA256.HashData(secretThenPacket)[..20], digest);
    }

    [Theory]
    [InlineData(KeyType.Md5, 68)]
    [InlineData(KeyType.Sha1, 72)]
    [InlineData(KeyType.Sha512, 72)]
    [InlineData(KeyType.Aes128Cmac, 68)]
    public void AppendThenVerify_RoundTrips_AndAnyChangeFails(KeyType type, int expectedLength)
    {
        SymmetricKey key = type == KeyType.Aes128Cmac
            ? new SymmetricKey(9, type, Convert.FromHexString("2b7e151628aed2a6abf7158809cf4f3c00112233445566778899aabbccddeeff"), [])
            : Key(type, "secret", 9);
        byte[] packet = Packet();
        int length = PacketMac.Append(key, packet, 48);
        Assert.Equal(expectedLength, length);
        Assert.True(NtpPacket.TryRead(packet.AsSpan(0, length), out NtpPacket parsed, out _));
        Assert.Equal(9u, parsed.Mac.KeyId);
        Assert.True(PacketMac.Verify(key, parsed));

        packet[45] ^= 1;
        Assert.True(NtpPacket.TryRead(packet.AsSpan(0, length), out NtpPacket tampered, out _));
        Assert.False(PacketMac.Verify(key, tampered));
        packet[45] ^= 1;

        SymmetricKey otherId = type == KeyType.Aes128Cmac ? new SymmetricKey(10, type, key.Secret, []) : Key(type, "secret", 10);
        Assert.False(PacketMac.Verify(otherId, parsed));
        Assert.False(PacketMac.Verify(type == KeyType.Aes128Cmac ? new SymmetricKey(9, type, new byte[16], []) : Key(type, "secrex", 9), parsed));
    }

    [Fact]
    public void CryptoNakOrNoMac_NeverVerifies()
    {
        byte[] packet = Packet();
        Assert.True(NtpPacket.TryRead(packet.AsSpan(0, 52), out NtpPacket nak, out _));
        Assert.False(PacketMac.Verify(Key(KeyType.Md5, "x", 0), nak));
        Assert.True(NtpPacket.TryRead(packet.AsSpan(0, 48), out NtpPacket bare, out _));
        Assert.False(PacketMac.Verify(Key(KeyType.Md5, "x"), bare));
    }

    [Fact]
    public void Md5Mac_AllocatesNothing()
    {
        SymmetricKey key = Key(KeyType.Md5, "secret");
        byte[] packet = Packet();
        PacketMac.Append(key, packet, 48);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++)
        {
            PacketMac.Append(key, packet, 48);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
