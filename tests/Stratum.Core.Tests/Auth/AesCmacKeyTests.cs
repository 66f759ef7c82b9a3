// AesCmacKey: a loaded AES-128-CMAC key gives RFC 4493 §4's four MACs, through the key itself and
// through PacketMac with an AES128CMAC SymmetricKey; checking a packet's MAC allocates nothing (no
// AES object per check); verification refuses a wrong or short MAC; several threads may share a key;
// a disposed key refuses and PacketMac falls back to the one-shot computation with the same result.
using Stratum.Core.Auth;
using Stratum.Core.Wire;

namespace Stratum.Core.Tests.Auth;

public class AesCmacKeyTests
{
    private static readonly byte[] s_key = Convert.FromHexString("2b7e151628aed2a6abf7158809cf4f3c");

    private static readonly byte[] s_message = Convert.FromHexString(
        "6bc1bee22e409f96e93d7e117393172a" +
        "ae2d8a571e03ac9c9eb76fac45af8e51" +
        "30c81c46a35ce411e5fbc1191a0a52ef" +
        "f69f2445df4f9b17ad2b417be66c3710");

    [Theory]
    [InlineData(0, "bb1d6929e95937287fa37d129b756746")]
    [InlineData(16, "070a16b46b4d4144f79bdd9dd04a287c")]
    [InlineData(40, "dfa66747de9ae63030ca32611497c827")]
    [InlineData(64, "51f0bebf7e3b9d92fc49741779363cfe")]
    public void LoadedKey_Rfc4493Examples_RepeatedOnOneKey(int length, string expectedHex)
    {
        using var key = new AesCmacKey(s_key);
        Span<byte> mac = stackalloc byte[AesCmac.MacSize];
        for (int i = 0; i < 3; i++)
        {
            mac.Clear();
            Assert.True(key.TryCompute(s_message.AsSpan(0, length), mac));
            Assert.Equal(expectedHex, Convert.ToHexStringLower(mac));
        }

        Assert.True(key.Verify(s_message.AsSpan(0, length), Convert.FromHexString(expectedHex)));
        Assert.False(key.Verify(s_message.AsSpan(0, length), new byte[AesCmac.MacSize]));
        Assert.False(key.Verify(s_message.AsSpan(0, length), Convert.FromHexString(expectedHex).AsSpan(0, 15)));
    }

    [Theory]
    [InlineData(0, "bb1d6929e95937287fa37d129b756746")]
    [InlineData(16, "070a16b46b4d4144f79bdd9dd04a287c")]
    [InlineData(40, "dfa66747de9ae63030ca32611497c827")]
    [InlineData(64, "51f0bebf7e3b9d92fc49741779363cfe")]
    public void PacketMac_Aes128CmacKey_Rfc4493Examples(int length, string expectedHex)
    {
        using var key = new SymmetricKey(1, KeyType.Aes128Cmac, s_key, []);
        var digest = new byte[PacketMac.MaxDigestLength];
        Assert.Equal(16, PacketMac.Compute(key, s_message.AsSpan(0, length), digest));
        Assert.Equal(expectedHex, Convert.ToHexStringLower(digest.AsSpan(0, 16)));
    }

    [Fact]
    public void SymmetricKey_LoadsItsCipherOnce_DigestTypesHaveNone()
    {
        using var aes = new SymmetricKey(1, KeyType.Aes128Cmac, s_key, []);
        using var md5 = new SymmetricKey(2, KeyType.Md5, "secret"u8, []);
        Assert.NotNull(aes.Cmac);
        Assert.Same(aes.Cmac, aes.Cmac);
        Assert.Null(md5.Cmac);
    }

    [Fact]
    public void PacketMacCheck_AllocatesNothing_NoAesObjectPerCheck()
    {
        using var key = new SymmetricKey(9, KeyType.Aes128Cmac, s_key, []);
        var packet = new byte[48 + PacketMac.KeyIdLength + 16];
        packet[0] = 0x23;
        int length = PacketMac.Append(key, packet, 48);
        Assert.True(NtpPacket.TryRead(packet.AsSpan(0, length), out NtpPacket parsed, out _));
        Assert.True(PacketMac.Verify(key, parsed)); // warm-up

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool all = true;
        for (int i = 0; i < 100; i++)
        {
            all &= PacketMac.Verify(key, parsed);
            PacketMac.Append(key, packet, 48);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(all);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void SharedByThreads_EveryMacRight()
    {
        using var key = new AesCmacKey(s_key);
        int wrong = 0;
        var threads = new Thread[4];
        for (int t = 0; t < threads.Length; t++)
        {
            int length = t * 16 % 65;
            string expected = length switch
            {
                0 => "bb1d6929e95937287fa37d129b756746",
                16 => "070a16b46b4d4144f79bdd9dd04a287c",
                32 => Reference(32),
                _ => Reference(48),
            };
            threads[t] = new Thread(() =>
            {
                Span<byte> mac = stackalloc byte[AesCmac.MacSize];
                for (int i = 0; i < 2000; i++)
                {
                    if (!key.TryCompute(s_message.AsSpan(0, length), mac) || Convert.ToHexStringLower(mac) != expected)
                    {
                        Interlocked.Increment(ref wrong);
                    }
                }
            });
            threads[t].Start();
        }

        foreach (Thread thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)));
        }

        Assert.Equal(0, wrong);
    }

    [Fact]
    public void Disposed_Refuses_PacketMacFallsBackToTheSameMac()
    {
        var key = new SymmetricKey(9, KeyType.Aes128Cmac, s_key, []);
        var before = new byte[PacketMac.MaxDigestLength];
        PacketMac.Compute(key, s_message.AsSpan(0, 40), before);
        key.Dispose();
        key.Dispose(); // twice is harmless

        Assert.False(key.Cmac!.TryCompute(s_message.AsSpan(0, 40), new byte[16]));
        var after = new byte[PacketMac.MaxDigestLength];
        PacketMac.Compute(key, s_message.AsSpan(0, 40), after);
        Assert.Equal("dfa66747de9ae63030ca32611497c827", Convert.ToHexStringLower(after.AsSpan(0, 16)));
        Assert.Equal(before, after);
    }

    [Fact]
    public void WrongKeyLengthOrShortMacBuffer_Throws()
    {
        Assert.Throws<ArgumentException>(() => new AesCmacKey(new byte[15]));
        using var key = new AesCmacKey(s_key);
        Assert.Throws<ArgumentException>(() => key.TryCompute([], new byte[15]));
    }

    private static string Reference(int length)
    {
        var mac = new byte[AesCmac.MacSize];
        AesCmac.Compute(s_key, s_message.AsSpan(0, length), mac);
        return Convert.ToHexStringLower(mac);
    }
}
