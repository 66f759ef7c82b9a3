// AesSiv: the SIV mode of AES (RFC 5297), the AEAD that Network Time Security requires (RFC 8915 §5.1:
// AEAD_AES_SIV_CMAC_256, number 15; 384 and 512, numbers 16 and 17, with the longer keys). The key is
// two halves: the first keys S2V, a CMAC (RFC 4493) chained over the associated-data components and
// the plaintext, whose result V is the tag (the synthetic IV); the second keys AES in counter mode from
// V with the 31st and 63rd bits (counted from the right) cleared. Opening recomputes V over the
// decrypted text and compares it in constant time; on a mismatch nothing is revealed. Components come
// as an SivComponents list (at most four: NTS uses two, the associated data and the nonce). The AES
// objects and buffers are made once per key, so sealing and opening allocate nothing; one lock
// serializes a key's work. Written from the RFC; the tests check its appendix A vectors.
using System.Security.Cryptography;
using Stratum.Core.Auth;

namespace Stratum.Core.Nts;

/// <summary>Up to four S2V associated-data components (RFC 5297 §2.4: AD1 … ADn, the nonce last).</summary>
public readonly ref struct SivComponents
{
    /// <summary>The most components a list holds.</summary>
    public const int MaxCount = 4;

    private readonly ReadOnlySpan<byte> _first;
    private readonly ReadOnlySpan<byte> _second;
    private readonly ReadOnlySpan<byte> _third;
    private readonly ReadOnlySpan<byte> _fourth;

    private SivComponents(int count, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, ReadOnlySpan<byte> fourth)
    {
        Count = count;
        _first = first;
        _second = second;
        _third = third;
        _fourth = fourth;
    }

    public int Count { get; }

    public static SivComponents None => default;

    public static SivComponents Of(ReadOnlySpan<byte> first) => new(1, first, default, default, default);

    public static SivComponents Of(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second) => new(2, first, second, default, default);

    public static SivComponents Of(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third) =>
        new(3, first, second, third, default);

    public static SivComponents Of(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, ReadOnlySpan<byte> fourth) =>
        new(4, first, second, third, fourth);

    public ReadOnlySpan<byte> this[int index] => index switch
    {
        0 => _first,
        1 => _second,
        2 => _third,
        3 => _fourth,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };
}

/// <summary>One AES-SIV key (32, 48 or 64 bytes): seal and open without allocating; thread-safe.</summary>
public sealed class AesSiv : IDisposable
{
    /// <summary>The tag (synthetic IV) that precedes the ciphertext.</summary>
    public const int TagSize = 16;

    private const int BlockSize = 16;

    private readonly Lock _gate = new();
    private readonly Aes _macAes;
    private readonly Aes _ctrAes;
    private readonly ICryptoTransform _mac;
    private readonly ICryptoTransform _ctr;
    private readonly CmacCore _cmac;
    private readonly byte[] _in = new byte[BlockSize];
    private readonly byte[] _out = new byte[BlockSize];
    private bool _disposed;

    /// <exception cref="ArgumentException">The key is not 32, 48 or 64 bytes.</exception>
    public AesSiv(ReadOnlySpan<byte> key)
    {
        if (key.Length is not (32 or 48 or 64))
        {
            throw new ArgumentException($"an AES-SIV key has 32, 48 or 64 bytes, not {key.Length}", nameof(key));
        }

        int half = key.Length / 2;
        _macAes = CreateEcb(key[..half]);
        _ctrAes = CreateEcb(key[half..]);
        _mac = _macAes.CreateEncryptor();
        _ctr = _ctrAes.CreateEncryptor();
        _cmac = new CmacCore(_mac);
    }

    /// <summary>The sealed length of a plaintext: the tag, then as many bytes as the plaintext.</summary>
    public static int SealedLength(int plaintextLength) => TagSize + plaintextLength;

    /// <summary>Writes V ‖ C (<see cref="SealedLength"/> bytes) into <paramref name="destination"/> (which may not overlap the plaintext).</summary>
    /// <exception cref="ObjectDisposedException">The key was disposed.</exception>
    public void Seal(scoped in SivComponents associated, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        if (destination.Length < SealedLength(plaintext.Length))
        {
            throw new ArgumentException("the destination is shorter than the sealed text", nameof(destination));
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Span<byte> tag = destination[..TagSize];
            S2V(associated, plaintext, tag);
            Ctr(tag, plaintext, destination.Slice(TagSize, plaintext.Length));
        }
    }

    /// <summary>Opens V ‖ C into <paramref name="plaintext"/> (<c>sealed.Length - 16</c> bytes); false, with the
    /// plaintext wiped, when the text is shorter than a tag or the tag does not match.</summary>
    public bool TryOpen(scoped in SivComponents associated, ReadOnlySpan<byte> sealedText, Span<byte> plaintext)
    {
        if (sealedText.Length < TagSize || plaintext.Length < sealedText.Length - TagSize)
        {
            return false;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ReadOnlySpan<byte> tag = sealedText[..TagSize];
            Span<byte> opened = plaintext[..(sealedText.Length - TagSize)];
            Ctr(tag, sealedText[TagSize..], opened);
            Span<byte> expected = stackalloc byte[TagSize];
            S2V(associated, opened, expected);
            if (CryptographicOperations.FixedTimeEquals(expected, tag))
            {
                return true;
            }

            CryptographicOperations.ZeroMemory(opened);
            return false;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _cmac.Wipe();
            _mac.Dispose();
            _ctr.Dispose();
            _macAes.Dispose();
            _ctrAes.Dispose();
        }
    }

    private static Aes CreateEcb(ReadOnlySpan<byte> key)
    {
        var aes = Aes.Create();
        aes.SetKey(key);
        aes.Mode = CipherMode.ECB;
        aes.Padding = PaddingMode.None;
        return aes;
    }

    // RFC 5297 §2.4: D = CMAC(0^128); for each component D = dbl(D) xor CMAC(S_i); then V = CMAC(P xorend D)
    // when P has 16 bytes or more, else V = CMAC(dbl(D) xor pad(P)). (The plaintext is always S2V's last input,
    // so the RFC's case of no input at all never arises.)
    private void S2V(scoped in SivComponents associated, ReadOnlySpan<byte> plaintext, Span<byte> v)
    {
        Span<byte> d = stackalloc byte[BlockSize];
        Span<byte> mac = stackalloc byte[BlockSize];
        d.Clear();
        Cmac(d, ReadOnlySpan<byte>.Empty, d);
        for (int i = 0; i < associated.Count; i++)
        {
            Block128.Double(d);
            Cmac(associated[i], ReadOnlySpan<byte>.Empty, mac);
            Block128.Xor(d, mac, d);
        }

        if (plaintext.Length >= BlockSize)
        {
            // P xorend D: D is XORed into the last 16 bytes; CMAC over the head of P, then that block.
            Span<byte> tail = stackalloc byte[BlockSize];
            Block128.Xor(plaintext[^BlockSize..], d, tail);
            Cmac(plaintext[..^BlockSize], tail, v);
        }
        else
        {
            Block128.Double(d);
            Span<byte> padded = stackalloc byte[BlockSize];
            padded.Clear();
            plaintext.CopyTo(padded);
            padded[plaintext.Length] = 0x80;
            Block128.Xor(d, padded, padded);
            Cmac(padded, ReadOnlySpan<byte>.Empty, v);
        }
    }

    // AES-CMAC of head ‖ tail with the S2V key (CmacCore).
    private void Cmac(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, Span<byte> mac) => _cmac.Compute(head, tail, mac);

    // RFC 5297 §2.5/2.6: CTR from Q = V with bits 63 and 31 (counted from the right, from 0) cleared; the counter
    // is the whole 128-bit block, incremented big-endian.
    private void Ctr(ReadOnlySpan<byte> v, ReadOnlySpan<byte> input, Span<byte> output)
    {
        Span<byte> counter = stackalloc byte[BlockSize];
        v.CopyTo(counter);
        counter[8] &= 0x7F;
        counter[12] &= 0x7F;
        for (int offset = 0; offset < input.Length; offset += BlockSize)
        {
            counter.CopyTo(_in);
            _ctr.TransformBlock(_in, 0, BlockSize, _out, 0);
            int count = Math.Min(BlockSize, input.Length - offset);
            for (int i = 0; i < count; i++)
            {
                output[offset + i] = (byte)(input[offset + i] ^ _out[i]);
            }

            for (int i = BlockSize - 1; i >= 0 && ++counter[i] == 0; i--)
            {
            }
        }
    }
}
