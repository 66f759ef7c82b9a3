// AesCmacKey: one AES-128-CMAC key (RFC 4493) ready for use: the AES key schedule, an ECB encryptor
// and the two subkeys K1 and K2 (§2.3) are made once, when the key is loaded, so checking a packet's
// MAC creates no AES object and allocates nothing (the platform's one-shot EncryptEcb builds a cipher
// context and copies the key on every call). The computation is CmacCore's (shared with AES-SIV), on
// buffers of its own, so one lock serializes the computations of a key: the time server's extra loops may check MACs on
// several threads, and a block takes well under a microsecond. Disposed when its keys are replaced;
// after that TryCompute refuses and the caller falls back to the one-shot AesCmac.Compute.
// Written from the RFC; the tests check RFC 4493 §4's vectors against both paths.
using System.Security.Cryptography;

namespace Stratum.Core.Auth;

/// <summary>A loaded AES-128-CMAC key: MACs without per-call allocation; thread-safe.</summary>
public sealed class AesCmacKey : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Aes _aes;
    private readonly ICryptoTransform _encryptor;
    private readonly CmacCore _cmac;
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
        _cmac = new CmacCore(_encryptor);
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

            _cmac.Compute(message, ReadOnlySpan<byte>.Empty, mac);
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
            _cmac.Wipe();
            _encryptor.Dispose();
            _aes.Dispose();
        }
    }
}
