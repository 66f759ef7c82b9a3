// SymmetricKey: one key of the keys file: its id, algorithm, secret octets and optional access
// list. The secret is what the digest or CMAC uses: the ASCII text itself, or the octets of the
// hex form. An AES128CMAC secret shorter than 16 octets is stored zero-extended to 16, which is
// what ntpd does (with a warning) when it uses such a key. An AES128CMAC key is loaded for use once,
// here (AesCmacKey: cipher and subkeys ready), so checking a MAC builds no AES object; disposing the
// key (when its keys file is replaced) releases it.
namespace Stratum.Core.Auth;

/// <summary>A key read from the keys file.</summary>
public sealed class SymmetricKey : IDisposable
{
    private readonly byte[] _secret;
    private readonly AesCmacKey? _cmac;

    public SymmetricKey(ushort keyId, KeyType type, ReadOnlySpan<byte> secret, IReadOnlyList<KeyAccessEntry> allowedSources)
    {
        ArgumentNullException.ThrowIfNull(allowedSources);
        KeyId = keyId;
        Type = type;
        _secret = secret.ToArray();
        AllowedSources = allowedSources;
        if (type == KeyType.Aes128Cmac && secret.Length >= AesCmac.KeySize)
        {
            // A longer hex secret is cut to the 128 bits AES-128 takes.
            _cmac = new AesCmacKey(secret[..AesCmac.KeySize]);
        }
    }

    /// <summary>Key id 1..65535 (ntpd's NTP_MAXKEY; larger ids were Autokey's).</summary>
    public ushort KeyId { get; }

    public KeyType Type { get; }

    /// <summary>The secret octets.</summary>
    public ReadOnlySpan<byte> Secret => _secret;

    /// <summary>The loaded AES-128-CMAC key of an AES128CMAC key (null for digest types).</summary>
    public AesCmacKey? Cmac => _cmac;

    /// <summary>Addresses allowed to use the key; empty means any address.</summary>
    public IReadOnlyList<KeyAccessEntry> AllowedSources { get; }

    /// <summary>
    /// A key typed as a password (ntpq `passwd`): up to 20 characters are the ASCII octets, a longer
    /// text of an even number of hex digits is hex, as in the keys file; anything else stays ASCII.
    /// </summary>
    public static SymmetricKey FromPassword(ushort keyId, KeyType type, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        bool hex = password.Length > KeyFileParser.MaxAsciiKeyLength && password.Length % 2 == 0
            && password.Length <= 2 * KeyFileParser.MaxSecretLength && password.All(char.IsAsciiHexDigit);
        byte[] secret = hex ? Convert.FromHexString(password) : System.Text.Encoding.ASCII.GetBytes(password);
        if (type == KeyType.Aes128Cmac && secret.Length < AesCmac.KeySize)
        {
            Array.Resize(ref secret, AesCmac.KeySize);
        }

        return new SymmetricKey(keyId, type, secret, []);
    }

    /// <summary>Releases the loaded cipher (a MAC computed later falls back to a one-shot one).</summary>
    public void Dispose() => _cmac?.Dispose();

    /// <summary>Shows the id and type, never the secret (keys must not leak into logs).</summary>
    public override string ToString() => $"key {KeyId} {KeyTypeNames.Name(Type)}";
}
