// AES-SIV (RFC 5297) against the RFC's appendix A vectors: A.1 deterministic (one associated-data
// component), A.2 nonce-based (two components and a nonce); round trips of every length around the
// block size with 32-, 48- and 64-byte keys; any flipped bit of the tag, ciphertext or associated data
// is refused and the plaintext wiped; no allocation when sealing and opening.
using Stratum.Core.Nts;

namespace Stratum.Core.Tests.Nts;

public class AesSivTests
{
    private static byte[] Hex(string text) => Convert.FromHexString(string.Concat(text.Where(c => !char.IsWhiteSpace(c))));

    [Fact]
    public void Rfc5297_A1_DeterministicAuthenticatedEncryption()
    {
        byte[] key = Hex("fffefdfc fbfaf9f8 f7f6f5f4 f3f2f1f0 f0f1f2f3 f4f5f6f7 f8f9fafb fcfdfeff");
        byte[] ad = Hex("10111213 14151617 18191a1b 1c1d1e1f 20212223 24252627");
        byte[] plaintext = Hex("11223344 55667788 99aabbcc ddee");
        byte[] expected = Hex("85632d07 c6e8f37f 950acd32 0a2ecc93 40c02b96 90c4dc04 daef7f6a fe5c");
        using var siv = new AesSiv(key);
        var sealedText = new byte[AesSiv.SealedLength(plaintext.Length)];
        siv.Seal(SivComponents.Of(ad), plaintext, sealedText);
        Assert.Equal(expected, sealedText);

        var opened = new byte[plaintext.Length];
        Assert.True(siv.TryOpen(SivComponents.Of(ad), sealedText, opened));
        Assert.Equal(plaintext, opened);
    }

    [Fact]
    public void Rfc5297_A2_NonceBasedAuthenticatedEncryption()
    {
        byte[] key = Hex("7f7e7d7c 7b7a7978 77767574 73727170 40414243 44454647 48494a4b 4c4d4e4f");
        byte[] ad1 = Hex("00112233 44556677 8899aabb ccddeeff deaddada deaddada ffeeddcc bbaa9988 77665544 33221100");
        byte[] ad2 = Hex("10203040 50607080 90a0");
        byte[] nonce = Hex("09f91102 9d74e35b d84156c5 635688c0");
        byte[] plaintext = Hex("74686973 20697320 736f6d65 20706c61 696e7465 78742074 6f20656e 63727970 74207573 696e6720 5349562d 414553");
        byte[] expected = Hex("7bdb6e3b 432667eb 06f4d14b ff2fbd0f cb900f2f ddbe4043 26601965 c889bf17 dba77ceb 094fa663 b7a3f748 ba8af829 ea64ad54 4a272e9c 485b62a3 fd5c0d");
        using var siv = new AesSiv(key);
        var sealedText = new byte[AesSiv.SealedLength(plaintext.Length)];
        siv.Seal(SivComponents.Of(ad1, ad2, nonce), plaintext, sealedText);
        Assert.Equal(expected, sealedText);

        var opened = new byte[plaintext.Length];
        Assert.True(siv.TryOpen(SivComponents.Of(ad1, ad2, nonce), sealedText, opened));
        Assert.Equal(plaintext, opened);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(48)]
    [InlineData(64)]
    public void RoundTrip_EveryLengthAroundTheBlockSize(int keyLength)
    {
        var random = new Random(keyLength);
        byte[] key = new byte[keyLength];
        random.NextBytes(key);
        using var siv = new AesSiv(key);
        byte[] ad = [1, 2, 3];
        byte[] nonce = new byte[16];
        random.NextBytes(nonce);
        for (int length = 0; length <= 50; length++)
        {
            byte[] plaintext = new byte[length];
            random.NextBytes(plaintext);
            var sealedText = new byte[AesSiv.SealedLength(length)];
            siv.Seal(SivComponents.Of(ad, nonce), plaintext, sealedText);
            var opened = new byte[length];
            Assert.True(siv.TryOpen(SivComponents.Of(ad, nonce), sealedText, opened), $"length {length}");
            Assert.Equal(plaintext, opened);
        }
    }

    [Fact]
    public void AnyFlippedBit_IsRefused_AndThePlaintextWiped()
    {
        byte[] key = Hex("fffefdfc fbfaf9f8 f7f6f5f4 f3f2f1f0 f0f1f2f3 f4f5f6f7 f8f9fafb fcfdfeff");
        byte[] ad = Hex("10111213 14151617 18191a1b 1c1d1e1f 20212223 24252627");
        byte[] plaintext = Hex("11223344 55667788 99aabbcc ddee");
        using var siv = new AesSiv(key);
        var sealedText = new byte[AesSiv.SealedLength(plaintext.Length)];
        siv.Seal(SivComponents.Of(ad), plaintext, sealedText);
        for (int bit = 0; bit < sealedText.Length * 8; bit++)
        {
            byte[] tampered = (byte[])sealedText.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            var opened = new byte[plaintext.Length];
            Assert.False(siv.TryOpen(SivComponents.Of(ad), tampered, opened), $"bit {bit}");
            Assert.All(opened, b => Assert.Equal(0, b));
        }

        byte[] otherAd = (byte[])ad.Clone();
        otherAd[0] ^= 1;
        Assert.False(siv.TryOpen(SivComponents.Of(otherAd), sealedText, new byte[plaintext.Length]));
        Assert.False(siv.TryOpen(SivComponents.Of(ad), sealedText.AsSpan(0, 15), Array.Empty<byte>()));
    }

    [Fact]
    public void SealAndOpen_AllocateNothing()
    {
        using var siv = new AesSiv(new byte[32]);
        byte[] ad = new byte[48];
        byte[] nonce = new byte[16];
        byte[] plaintext = new byte[64];
        byte[] sealedText = new byte[AesSiv.SealedLength(plaintext.Length)];
        byte[] opened = new byte[plaintext.Length];
        siv.Seal(SivComponents.Of(ad, nonce), plaintext, sealedText);
        siv.TryOpen(SivComponents.Of(ad, nonce), sealedText, opened);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            siv.Seal(SivComponents.Of(ad, nonce), plaintext, sealedText);
            Assert.True(siv.TryOpen(SivComponents.Of(ad, nonce), sealedText, opened));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void WrongKeyLength_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new AesSiv(new byte[16]));
}
