// Md5Digest: MD5 (RFC 1321) in managed code, for the one place NTP needs it outside authentication:
// the reference ID of an IPv6 source or local address (RFC 5905 §7.3, the first four octets of the
// MD5 hash of the address). Computing it here keeps OpenSSL (about 4 MB of resident libssl and
// libcrypto) out of a daemon that never authenticates: the platform's MD5 loads it on first use, and
// ntpd computes IPv6 refids of its own addresses at start for timing-loop detection. Not for any
// security purpose; MACs still use the platform's digests. Allocation-free; the tests compare it with
// RFC 1321's test suite and with the platform's MD5 on random inputs.
using System.Buffers.Binary;
using System.Numerics;

namespace Stratum.Core.Wire;

/// <summary>The MD5 message digest (RFC 1321) of a byte span.</summary>
public static class Md5Digest
{
    /// <summary>Bytes in a digest.</summary>
    public const int Size = 16;

    private const int BlockSize = 64;

    /// <summary>Left-rotation amounts, four per round (RFC 1321 §3.4).</summary>
    private static ReadOnlySpan<byte> Shifts =>
    [
        7, 12, 17, 22,
        5, 9, 14, 20,
        4, 11, 16, 23,
        6, 10, 15, 21,
    ];

    /// <summary>The 64 additive constants: the integer part of 2^32 × |sin(i + 1)| (RFC 1321 §3.4).</summary>
    private static readonly uint[] SineTable = BuildSineTable();

    /// <summary>Writes the digest of <paramref name="message"/> into the first 16 bytes of <paramref name="digest"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> message, Span<byte> digest)
    {
        if (digest.Length < Size)
        {
            throw new ArgumentException($"an MD5 digest needs {Size} bytes", nameof(digest));
        }

        // Initial chaining values (RFC 1321 §3.3), in the order A, B, C, D.
        Span<uint> state = [0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u];
        int whole = message.Length / BlockSize * BlockSize;
        for (int offset = 0; offset < whole; offset += BlockSize)
        {
            Compress(state, message.Slice(offset, BlockSize));
        }

        // Padding (§3.1–3.2): a 1 bit, zeros to 56 bytes mod 64, then the length in bits, little-endian.
        Span<byte> tail = stackalloc byte[2 * BlockSize];
        tail.Clear();
        ReadOnlySpan<byte> rest = message[whole..];
        rest.CopyTo(tail);
        tail[rest.Length] = 0x80;
        int tailLength = rest.Length + 1 + 8 <= BlockSize ? BlockSize : 2 * BlockSize;
        BinaryPrimitives.WriteUInt64LittleEndian(tail[(tailLength - 8)..], (ulong)message.Length * 8);
        for (int offset = 0; offset < tailLength; offset += BlockSize)
        {
            Compress(state, tail.Slice(offset, BlockSize));
        }

        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(digest[(4 * i)..], state[i]);
        }
    }

    /// <summary>One 64-byte block through the four rounds of 16 steps (RFC 1321 §3.4).</summary>
    private static void Compress(Span<uint> state, ReadOnlySpan<byte> block)
    {
        Span<uint> words = stackalloc uint[16];
        for (int i = 0; i < 16; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(4 * i)..]);
        }

        uint a = state[0], b = state[1], c = state[2], d = state[3];
        ReadOnlySpan<byte> shifts = Shifts;
        for (int step = 0; step < 64; step++)
        {
            int round = step >> 4;
            (uint mixed, int word) = round switch
            {
                0 => ((b & c) | (~b & d), step),
                1 => ((b & d) | (c & ~d), ((5 * step) + 1) & 15),
                2 => (b ^ c ^ d, ((3 * step) + 5) & 15),
                _ => (c ^ (b | ~d), (7 * step) & 15),
            };
            uint sum = a + mixed + SineTable[step] + words[word];
            a = d;
            d = c;
            c = b;
            b += BitOperations.RotateLeft(sum, shifts[(round * 4) + (step & 3)]);
        }

        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
    }

    private static uint[] BuildSineTable()
    {
        var table = new uint[64];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = (uint)Math.Floor(Math.Abs(Math.Sin(i + 1)) * 4294967296.0);
        }

        return table;
    }
}
