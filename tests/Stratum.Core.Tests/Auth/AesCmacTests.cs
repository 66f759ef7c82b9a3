// AesCmac against RFC 4493 §4's four examples (empty, one whole block, a partial last block, four
// whole blocks: both subkeys and both last-block cases), Verify's accept and reject cases, and the
// argument checks.
using Stratum.Core.Auth;

namespace Stratum.Core.Tests.Auth;

public class AesCmacTests
{
    // RFC 4493 §4: the AES-128 key and the 64-byte message M whose prefixes the examples MAC.
    private const string KeyHex = "2b7e151628aed2a6abf7158809cf4f3c";

    private const string MessageHex =
        "6bc1bee22e409f96e93d7e117393172a" +
        "ae2d8a571e03ac9c9eb76fac45af8e51" +
        "30c81c46a35ce411e5fbc1191a0a52ef" +
        "f69f2445df4f9b17ad2b417be66c3710";

    private static byte[] Key => Convert.FromHexString(KeyHex);

    [Theory]
    [InlineData(0, "bb1d6929e95937287fa37d129b756746")]
    [InlineData(16, "070a16b46b4d4144f79bdd9dd04a287c")]
    [InlineData(40, "dfa66747de9ae63030ca32611497c827")]
    [InlineData(64, "51f0bebf7e3b9d92fc49741779363cfe")]
    public void Compute_Rfc4493Examples(int length, string expectedHex)
    {
        ReadOnlySpan<byte> message = Convert.FromHexString(MessageHex).AsSpan(0, length);
        Span<byte> mac = stackalloc byte[AesCmac.MacSize];
        AesCmac.Compute(Key, message, mac);
        Assert.Equal(expectedHex, Convert.ToHexStringLower(mac));
    }

    [Fact]
    public void Compute_LongerMacBuffer_WritesOnlyTheFirst16Bytes()
    {
        byte[] mac = new byte[AesCmac.MacSize + 4];
        mac.AsSpan().Fill(0xa5);
        AesCmac.Compute(Key, Convert.FromHexString(MessageHex).AsSpan(0, 40), mac);
        Assert.Equal("dfa66747de9ae63030ca32611497c827", Convert.ToHexStringLower(mac.AsSpan(0, AesCmac.MacSize)));
        Assert.Equal([0xa5, 0xa5, 0xa5, 0xa5], mac.AsSpan(AesCmac.MacSize).ToArray());
    }

    [Fact]
    public void Compute_PaddedAndWholeLastBlock_Differ()
    {
        // The empty message pads to 80 00 .. 00 under K2; that same block as a whole message uses K1.
        byte[] padding = new byte[16];
        padding[0] = 0x80;
        Span<byte> empty = stackalloc byte[AesCmac.MacSize];
        Span<byte> whole = stackalloc byte[AesCmac.MacSize];
        AesCmac.Compute(Key, [], empty);
        AesCmac.Compute(Key, padding, whole);
        Assert.False(empty.SequenceEqual(whole));
    }

    [Fact]
    public void Verify_RightMac_True()
    {
        byte[] message = Convert.FromHexString(MessageHex);
        Assert.True(AesCmac.Verify(Key, message, Convert.FromHexString("51f0bebf7e3b9d92fc49741779363cfe")));
        Assert.True(AesCmac.Verify(Key, [], Convert.FromHexString("bb1d6929e95937287fa37d129b756746")));
    }

    [Fact]
    public void Verify_OneBitFlipped_False()
    {
        byte[] message = Convert.FromHexString(MessageHex);
        byte[] mac = Convert.FromHexString("51f0bebf7e3b9d92fc49741779363cfe");
        for (int bit = 0; bit < 8 * mac.Length; bit++)
        {
            mac[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(AesCmac.Verify(Key, message, mac));
            mac[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }

    [Fact]
    public void Verify_15ByteMac_False()
    {
        byte[] message = Convert.FromHexString(MessageHex);
        byte[] mac = Convert.FromHexString("51f0bebf7e3b9d92fc49741779363cfe");
        Assert.False(AesCmac.Verify(Key, message, mac.AsSpan(0, 15)));
        Assert.False(AesCmac.Verify(Key, message, []));
    }

    [Fact]
    public void Compute_15ByteKey_Throws()
    {
        byte[] mac = new byte[AesCmac.MacSize];
        ArgumentException error = Assert.Throws<ArgumentException>(() => AesCmac.Compute(Key.AsSpan(0, 15), [], mac));
        Assert.Equal("key", error.ParamName);
    }

    [Fact]
    public void Verify_15ByteKey_Throws()
    {
        byte[] mac = new byte[AesCmac.MacSize];
        Assert.Throws<ArgumentException>(() => AesCmac.Verify(Key.AsSpan(0, 15), [], mac));
    }

    [Fact]
    public void Compute_15ByteMacBuffer_Throws()
    {
        byte[] mac = new byte[AesCmac.MacSize - 1];
        ArgumentException error = Assert.Throws<ArgumentException>(() => AesCmac.Compute(Key, [], mac));
        Assert.Equal("mac", error.ParamName);
    }
}
