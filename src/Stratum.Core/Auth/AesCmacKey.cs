// AesCmacKey: one AES-128-CMAC key (RFC 4493) ready for use: the AES key schedule, an ECB encryptor
// and the two subkeys K1 and K2 (§2.3) are made once, when the key is loaded, so checking a packet's
// MAC creates no AES object and allocates nothing (the platform's one-shot EncryptEcb builds a cipher
// context and copies the key on every call). The encryptor works on two 16-byte buffers of its own,
// so one lock serializes the computations of a key: the time server's extra loops may check MACs on
// several threads, and a block takes well under a microsecond. Disposed when its keys are replaced;
// after that TryCompute refuses and the caller falls back to the one-shot AesCmac.Compute.
// Written from the RFC; the tests check RFC 4493 §4's vectors against both paths.
using System.Security.Cryptography;

namespace Stratum.Core.Auth;

/// <summary>A loaded AES-128-CMAC key: MACs without per-call allocation; thread-safe.</summary>
public sealed class AesCmacKey : IDisposable
{
    private const int BlockSize = 16;

    private readonly Lock _gate = new();
    private readonly Aes _aes;
    private readonly ICryptoTransform _encryptor;
    private readonly byte[] _subkey1 = new byte[BlockSize];
    private readonly byte[] _subkey2 = new byte[BlockSize];
    private readonly byte[] _input = new byte[BlockSize];
    private readonly byte[] _output = new byte[BlockSize];
    private bool _disposed;

    /// <exception cref="ArgumentException">The key is not 16 bytes.</exception>
    public AesCmacKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != AesCmac.KeySize)
        {
            throw new ArgumentException($"an AES-128-CMAC key has {AesCmac.KeySize} bytes, not {key.Length}", nameof(key));
        }

        _aes = Aes.Create();
        _aes.SetKey(key);
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _encryptor = _aes.CreateEncryptor();

        // Subkeys (§2.3): L = AES-128(K, 0^128); K1 = L doubled in GF(2^128); K2 = K1 doubled.
        Array.Clear(_input);
        _encryptor.TransformBlock(_input, 0, BlockSize, _subkey1, 0);
        Block128.Double(_subkey1);
        _subkey1.CopyTo(_subkey2, 0);
        Block128.Double(_subkey2);
    }

    /// <summary>
    /// Writes the CMAC of <paramref name="message"/> into the first 16 bytes of <paramref name="mac"/>;
    /// false (nothing written) once the key has been disposed.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="mac"/> is shorter than 16 bytes.</exception>
    public bool TryCompute(ReadOnlySpan<byte> message, Span<byte> mac)
    {
        if (mac.Length < AesCmac.MacSize)
        {
            throw new ArgumentException($"an AES-128-CMAC MAC needs {AesCmac.MacSize} bytes", nameof(mac));
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            // Blocks (§2.4 steps 2–3): n = ceil(len / 16), at least 1; the last is complete only when
            // the message is non-empty and a whole number of blocks.
            int blocks = Math.Max(1, (message.Length + BlockSize - 1) / BlockSize);
            int lastOffset = (blocks - 1) * BlockSize;
            ReadOnlySpan<byte> last = message[lastOffset..];
            bool lastComplete = last.Length == BlockSize;

            // Steps 5–6: X = 0^128; Y = X XOR M_i; X = AES-128(K, Y) for i = 1 .. n-1. X lives in _output.
            Array.Clear(_output);
            for (int offset = 0; offset < lastOffset; offset += BlockSize)
            {
                Block128.Xor(_output, message.Slice(offset, BlockSize), _input);
                _encryptor.TransformBlock(_input, 0, BlockSize, _output, 0);
            }

            // Step 4: M_last = M_n XOR K1 when complete, else (M_n || 10^i) XOR K2; step 7:
            // T = AES-128(K, M_last XOR X).
            Span<byte> block = stackalloc byte[BlockSize];
            block.Clear();
            last.CopyTo(block);
            if (!lastComplete)
            {
                block[last.Length] = 0x80;
            }

            Block128.Xor(block, lastComplete ? _subkey1 : _subkey2, block);
            Block128.Xor(block, _output, _input);
            _encryptor.TransformBlock(_input, 0, BlockSize, _output, 0);
            _output.CopyTo(mac);

            CryptographicOperations.ZeroMemory(block);
            CryptographicOperations.ZeroMemory(_input);
            CryptographicOperations.ZeroMemory(_output);
            return true;
        }
    }

    /// <summary>
    /// True when <paramref name="expectedMac"/> is 16 bytes and equals the CMAC of <paramref name="message"/>;
    /// compared in time independent of where they differ. False once disposed.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> expectedMac)
    {
        Span<byte> computed = stackalloc byte[AesCmac.MacSize];
        return expectedMac.Length == AesCmac.MacSize
            && TryCompute(message, computed)
            && CryptographicOperations.FixedTimeEquals(computed, expectedMac);
    }

    /// <summary>Wipes the subkeys and releases the cipher; later computations refuse.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            CryptographicOperations.ZeroMemory(_subkey1);
            CryptographicOperations.ZeroMemory(_subkey2);
            _encryptor.Dispose();
            _aes.Dispose();
        }
    }
}
