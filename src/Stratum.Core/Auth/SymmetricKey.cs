// SymmetricKey: one key of the keys file: its id, algorithm, secret octets and optional access
// list. The secret is what the digest or CMAC uses: the ASCII text itself, or the octets of the
// hex form. An AES128CMAC secret shorter than 16 octets is stored zero-extended to 16, which is
// what ntpd does (with a warning) when it uses such a key.
namespace Stratum.Core.Auth;

/// <summary>A key read from the keys file.</summary>
public sealed class SymmetricKey
{
    private readonly byte[] _secret;

    public SymmetricKey(ushort keyId, KeyType type, ReadOnlySpan<byte> secret, IReadOnlyList<KeyAccessEntry> allowedSources)
    {
        ArgumentNullException.ThrowIfNull(allowedSources);
        KeyId = keyId;
        Type = type;
        _secret = secret.ToArray();
        AllowedSources = allowedSources;
    }

    /// <summary>Key id 1..65535 (ntpd's NTP_MAXKEY; larger ids were Autokey's).</summary>
    public ushort KeyId { get; }

    public KeyType Type { get; }

    /// <summary>The secret octets.</summary>
    public ReadOnlySpan<byte> Secret => _secret;

    /// <summary>Addresses allowed to use the key; empty means any address.</summary>
    public IReadOnlyList<KeyAccessEntry> AllowedSources { get; }

    /// <summary>Shows the id and type, never the secret (keys must not leak into logs).</summary>
    public override string ToString() => $"key {KeyId} {KeyTypeNames.Name(Type)}";
}
