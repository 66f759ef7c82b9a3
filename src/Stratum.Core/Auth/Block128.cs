// Block128: the two operations on 128-bit blocks that AES-CMAC (RFC 4493) and its use in AES-SIV's S2V
// (RFC 5297) share: doubling in GF(2^128) ("dbl": a left shift by one bit, R_128 = 0x87 XORed into the low
// byte when the top bit falls out, by a mask rather than a branch so the time does not depend on key-derived
// bits) and XOR of two blocks.
namespace Stratum.Core.Auth;

internal static class Block128
{
    public const int Size = 16;

    private const byte Rb = 0x87;

    /// <summary>Multiplies a big-endian 128-bit value by x in GF(2^128), in place.</summary>
    public static void Double(Span<byte> value)
    {
        int carry = value[0] >> 7;
        for (int i = 0; i < Size - 1; i++)
        {
            value[i] = (byte)((value[i] << 1) | (value[i + 1] >> 7));
        }

        value[Size - 1] = (byte)((value[Size - 1] << 1) ^ (Rb & -carry));
    }

    /// <summary><paramref name="destination"/> = <paramref name="left"/> XOR <paramref name="right"/>, one block.</summary>
    public static void Xor(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        for (int i = 0; i < Size; i++)
        {
            destination[i] = (byte)(left[i] ^ right[i]);
        }
    }
}
