// NtsCookieKey: a server's cookie master key (RFC 8915 §6 recommends a format; this is ours). A cookie is
// key id (4 bytes) ‖ nonce (16) ‖ AES-SIV-CMAC-512 under the master key, with the key id and nonce as
// associated data, of AEAD id (2) ‖ reserved (2) ‖ C2S key ‖ S2C key: 104 bytes for AEAD 15, a multiple of
// four as the extension fields want. The server keeps nothing per client: a cookie brings its keys back.
// Master keys are rotated (NtsCookieKeys): the id says which key sealed a cookie, and a cookie whose key
// is gone no longer opens (the client then gets a NAK and runs the key exchange again).
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Stratum.Core.Nts;

/// <summary>The keys an NTS association uses, as a cookie carries them.</summary>
public readonly record struct NtsSessionKeys(ushort Aead, byte[] ClientToServer, byte[] ServerToClient)
{
    /// <summary>Key length of an AEAD: 32 bytes for AES-SIV-CMAC-256 (15), 48 for 384 (16), 64 for 512 (17); 0 for others.</summary>
    public static int KeyLength(ushort aead) => aead switch
    {
        NtsKeMessages.AesSivCmac256 => 32,
        NtsKeMessages.AesSivCmac384 => 48,
        NtsKeMessages.AesSivCmac512 => 64,
        _ => 0,
    };
}

/// <summary>One master key: seals and opens cookies; thread-safe.</summary>
public sealed class NtsCookieKey : IDisposable
{
    /// <summary>The master key's length: an AES-SIV-CMAC-512 key.</summary>
    public const int MasterKeyLength = 64;

    private const int IdLength = 4;
    private const int NonceLength = 16;
    private const int HeaderLength = IdLength + NonceLength;

    private readonly AesSiv _siv;

    public NtsCookieKey(uint id, ReadOnlySpan<byte> masterKey)
    {
        if (masterKey.Length != MasterKeyLength)
        {
            throw new ArgumentException($"a cookie master key has {MasterKeyLength} bytes, not {masterKey.Length}", nameof(masterKey));
        }

        Id = id;
        _siv = new AesSiv(masterKey);
    }

    public uint Id { get; }

    /// <summary>A new key with a random master key.</summary>
    public static NtsCookieKey Create(uint id)
    {
        Span<byte> master = stackalloc byte[MasterKeyLength];
        RandomNumberGenerator.Fill(master);
        var key = new NtsCookieKey(id, master);
        CryptographicOperations.ZeroMemory(master);
        return key;
    }

    /// <summary>The length of a cookie for keys of <paramref name="keyLength"/> bytes each.</summary>
    public static int CookieLength(int keyLength) => HeaderLength + AesSiv.SealedLength(4 + (2 * keyLength));

    /// <summary>The key id a cookie names (its first four bytes), or null when it is too short to be one.</summary>
    public static uint? IdOf(ReadOnlySpan<byte> cookie) => cookie.Length >= HeaderLength ? BinaryPrimitives.ReadUInt32BigEndian(cookie) : null;

    /// <summary>Seals <paramref name="keys"/> into a new cookie with a random nonce.</summary>
    public byte[] Seal(NtsSessionKeys keys)
    {
        int keyLength = NtsSessionKeys.KeyLength(keys.Aead);
        if (keyLength == 0 || keys.ClientToServer.Length != keyLength || keys.ServerToClient.Length != keyLength)
        {
            throw new ArgumentException("keys of the wrong length for their AEAD", nameof(keys));
        }

        Span<byte> plaintext = stackalloc byte[4 + (2 * keyLength)];
        BinaryPrimitives.WriteUInt16BigEndian(plaintext, keys.Aead);
        plaintext[2] = plaintext[3] = 0;
        keys.ClientToServer.CopyTo(plaintext[4..]);
        keys.ServerToClient.CopyTo(plaintext[(4 + keyLength)..]);
        var cookie = new byte[CookieLength(keyLength)];
        BinaryPrimitives.WriteUInt32BigEndian(cookie, Id);
        RandomNumberGenerator.Fill(cookie.AsSpan(IdLength, NonceLength));
        _siv.Seal(SivComponents.Of(cookie.AsSpan(0, IdLength), cookie.AsSpan(IdLength, NonceLength)), plaintext, cookie.AsSpan(HeaderLength));
        CryptographicOperations.ZeroMemory(plaintext);
        return cookie;
    }

    /// <summary>Opens a cookie this key sealed: false when it names another key, has the wrong shape or was altered.</summary>
    public bool TryOpen(ReadOnlySpan<byte> cookie, out NtsSessionKeys keys)
    {
        keys = default;
        if (IdOf(cookie) != Id || cookie.Length < HeaderLength + AesSiv.TagSize + 4)
        {
            return false;
        }

        ReadOnlySpan<byte> sealedText = cookie[HeaderLength..];
        Span<byte> plaintext = stackalloc byte[sealedText.Length - AesSiv.TagSize];
        if (!_siv.TryOpen(SivComponents.Of(cookie[..IdLength], cookie.Slice(IdLength, NonceLength)), sealedText, plaintext))
        {
            return false;
        }

        ushort aead = BinaryPrimitives.ReadUInt16BigEndian(plaintext);
        int keyLength = NtsSessionKeys.KeyLength(aead);
        if (keyLength == 0 || plaintext.Length != 4 + (2 * keyLength))
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }

        keys = new NtsSessionKeys(aead, plaintext.Slice(4, keyLength).ToArray(), plaintext.Slice(4 + keyLength, keyLength).ToArray());
        CryptographicOperations.ZeroMemory(plaintext);
        return true;
    }

    public void Dispose() => _siv.Dispose();
}
