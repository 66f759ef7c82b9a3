// CmacCore: AES-CMAC (RFC 4493 §2.3-2.4) over an AES block encryptor of any key size, the one computation
// behind AesCmacKey (the MAC of NTP packets) and AesSiv's S2V (NTS). The subkeys are derived once; the
// message may come in two parts, head ‖ tail, so S2V's "xorend" needs no copy of the plaintext. Not
// thread-safe: its owner serializes calls (and wipes it on disposal).
using System.Security.Cryptography;

namespace Stratum.Core.Auth;

internal sealed class CmacCore
{
    private readonly ICryptoTransform _encryptor;
    private readonly byte[] _subkey1 = new byte[Block128.Size];
    private readonly byte[] _subkey2 = new byte[Block128.Size];
    private readonly byte[] _input = new byte[Block128.Size];
    private readonly byte[] _output = new byte[Block128.Size];

    /// <param name="encryptor">AES in ECB mode without padding, keyed with the MAC key.</param>
    public CmacCore(ICryptoTransform encryptor)
    {
        _encryptor = encryptor;

        // Subkeys (§2.3): L = AES(K, 0^128); K1 = dbl(L); K2 = dbl(K1).
        Array.Clear(_input);
        _encryptor.TransformBlock(_input, 0, Block128.Size, _subkey1, 0);
        Block128.Double(_subkey1);
        _subkey1.CopyTo(_subkey2, 0);
        Block128.Double(_subkey2);
    }

    /// <summary>Writes the CMAC of <paramref name="head"/> ‖ <paramref name="tail"/> into the first 16 bytes of <paramref name="mac"/>.</summary>
    public void Compute(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, Span<byte> mac)
    {
        // Blocks (§2.4 steps 2-3): n = ceil(len / 16), at least 1; the last is complete only when the message
        // is non-empty and a whole number of blocks.
        int length = head.Length + tail.Length;
        int blocks = Math.Max(1, (length + Block128.Size - 1) / Block128.Size);
        int lastOffset = (blocks - 1) * Block128.Size;
        Span<byte> block = stackalloc byte[Block128.Size];

        // Steps 5-6: X = 0^128; X = AES(K, X XOR M_i) for i = 1 .. n-1. X lives in _output.
        Array.Clear(_output);
        for (int offset = 0; offset < lastOffset; offset += Block128.Size)
        {
            Gather(head, tail, offset, Block128.Size, block);
            Block128.Xor(_output, block, _input);
            _encryptor.TransformBlock(_input, 0, Block128.Size, _output, 0);
        }

        // Step 4: M_last = M_n XOR K1 when complete, else (M_n ‖ 10^i) XOR K2; step 7: T = AES(K, M_last XOR X).
        int lastLength = length - lastOffset;
        block.Clear();
        Gather(head, tail, lastOffset, lastLength, block);
        bool complete = lastLength == Block128.Size;
        if (!complete)
        {
            block[lastLength] = 0x80;
        }

        Block128.Xor(block, complete ? _subkey1 : _subkey2, block);
        Block128.Xor(block, _output, _input);
        _encryptor.TransformBlock(_input, 0, Block128.Size, _output, 0);
        _output.AsSpan().CopyTo(mac);

        CryptographicOperations.ZeroMemory(block);
        CryptographicOperations.ZeroMemory(_input);
        CryptographicOperations.ZeroMemory(_output);
    }

    /// <summary>Wipes the subkeys.</summary>
    public void Wipe()
    {
        CryptographicOperations.ZeroMemory(_subkey1);
        CryptographicOperations.ZeroMemory(_subkey2);
    }

    // Bytes [offset, offset + count) of head ‖ tail into block.
    private static void Gather(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, int offset, int count, Span<byte> block)
    {
        if (offset + count <= head.Length)
        {
            head.Slice(offset, count).CopyTo(block);
            return;
        }

        for (int i = 0; i < count; i++)
        {
            int at = offset + i;
            block[i] = at < head.Length ? head[at] : tail[at - head.Length];
        }
    }
}
