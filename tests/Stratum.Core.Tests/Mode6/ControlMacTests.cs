// ControlMacTests: the MAC of mode 6 messages (ControlMac): the MAC starts on an 8-octet boundary
// from the header, the digest covers everything before it, a message signed for one data length
// verifies, and a changed octet, another key or a trailer of the wrong size does not.
using System.Buffers.Binary;
using System.Text;
using Stratum.Core.Auth;
using Stratum.Core.Mode6;

namespace Stratum.Core.Tests.Mode6;

public sealed class ControlMacTests
{
    private static readonly SymmetricKey Md5Key = new(1, KeyType.Md5, "secretpw"u8, []);
    private static readonly SymmetricKey Sha1Key = SymmetricKey.FromPassword(2, KeyType.Sha1, "0123456789abcdef0123456789abcdef01234567");

    private static byte[] Request(string text, SymmetricKey key)
    {
        byte[] data = Encoding.ASCII.GetBytes(text);
        var buffer = new byte[ControlMac.SignedLength(data.Length, key)];
        ControlMessage.Write(ControlHeader.Request(ControlOpcode.Configure, 7, 0, (ushort)data.Length, 2), data, buffer);
        Assert.Equal(buffer.Length, ControlMac.Sign(key, buffer, data.Length));
        return buffer;
    }

    [Theory]
    [InlineData("", 16)]
    [InlineData("a", 16)]
    [InlineData("abcde", 24)]
    [InlineData("server 127.0.0.11", 32)]
    [InlineData("12345678901234567890", 32)]
    public void SignedPrefix_IsHeaderAndDataRoundedUpToEightOctets(string text, int prefix)
    {
        Assert.Equal(prefix, ControlMac.SignedPrefixLength(text.Length));
        byte[] signed = Request(text, Md5Key);
        Assert.Equal(prefix + 4 + 16, signed.Length);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(signed.AsSpan(prefix)));
        Assert.True(ControlMac.Verify(Md5Key, signed, text.Length));
    }

    [Fact]
    public void Md5Digest_IsMd5OfSecretThenMessage()
    {
        byte[] signed = Request("server 127.0.0.11", Md5Key);
        byte[] input = [.. "secretpw"u8.ToArray(), .. signed.AsSpan(0, 32).ToArray()];
#pragma warning disable CA5351 // Reason: the test checks the MD5 MAC ntpd's control protocol uses.
        byte[] expected = System.Security.Cryptography.MD5.HashData(input);
#pragma warning restore CA5351
        Assert.Equal(expected, signed.AsSpan(36).ToArray());
    }

    [Fact]
    public void Sha1Key_SignsWithTwentyOctetDigest()
    {
        byte[] signed = Request("restrict 127.0.0.40 nomodify", Sha1Key);
        Assert.Equal(ControlMac.SignedPrefixLength(28) + 4 + 20, signed.Length);
        Assert.True(ControlMac.Verify(Sha1Key, signed, 28));
        Assert.False(ControlMac.Verify(Md5Key, signed, 28));
    }

    [Fact]
    public void ChangedOctet_OtherKeyOrWrongCount_FailVerification()
    {
        byte[] signed = Request("server 127.0.0.11", Md5Key);
        byte[] tampered = (byte[])signed.Clone();
        tampered[14] ^= 1;
        Assert.False(ControlMac.Verify(Md5Key, tampered, 17));
        Assert.False(ControlMac.Verify(new SymmetricKey(1, KeyType.Md5, "other"u8, []), signed, 17));
        Assert.False(ControlMac.Verify(Md5Key, signed, 9));
    }

    [Theory]
    [InlineData(16, 0)] // no trailer
    [InlineData(18, 0)] // not a multiple of 4
    [InlineData(44, 28)] // longer than key id + 20 octets
    public void TryFind_RejectsMissingOddOrOversizedTrailers(int length, int _)
    {
        var datagram = new byte[length];
        Assert.False(ControlMac.TryFind(datagram, 1, out uint keyId));
        Assert.Equal(0u, keyId);
    }

    [Fact]
    public void TryFind_KeyIdAloneIsATrailer()
    {
        var datagram = new byte[28];
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(24), 65535);
        Assert.True(ControlMac.TryFind(datagram, 5, out uint keyId));
        Assert.Equal(65535u, keyId);
        Assert.False(ControlMac.Verify(Md5Key, datagram, 5));
    }

    [Fact]
    public void SignCopy_OfAPaddedResponse_VerifiesWithItsCount()
    {
        var message = new byte[ControlMessage.HeaderSize + 8];
        byte[] text = "abcde"u8.ToArray();
        ControlMessage.Write(new ControlHeader(2, true, false, false, ControlOpcode.Configure, 7, 0, 0, 0, 5), text, message);
        byte[] signed = ControlMac.SignCopy(Md5Key, message.AsSpan(0, 20));
        Assert.Equal(24 + 20, signed.Length);
        Assert.True(ControlMac.Verify(Md5Key, signed, 5));
    }

    [Theory]
    [InlineData("secretpw", "secretpw")]
    [InlineData("0123456789abcdef0123456789abcdef01234567", null)] // 40 hex digits: 20 octets
    [InlineData("this password is longer than twenty", "this password is longer than twenty")] // not hex: ASCII
    public void FromPassword_FollowsTheKeysFileRule(string password, string? ascii)
    {
        SymmetricKey key = SymmetricKey.FromPassword(3, KeyType.Sha1, password);
        byte[] expected = ascii is null ? Convert.FromHexString(password) : Encoding.ASCII.GetBytes(ascii);
        Assert.Equal(expected, key.Secret.ToArray());
    }
}
