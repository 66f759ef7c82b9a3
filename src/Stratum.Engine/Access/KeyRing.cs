// KeyRing: the symmetric keys the daemon may use (ntpd 4.2.8 authopt.html): the keys file's table
// narrowed to the ids named by `trustedkey`, each usable only from the addresses of its access list
// when it has one (ntp.keys(5), 4.2.8p10 and later). The server uses it to check a request's MAC and
// sign the reply; an association configured with `key N` signs its requests with key N and accepts
// only replies that carry a valid MAC by it. Built once at start; lookups allocate nothing. It owns
// its table: disposing the ring releases the keys' loaded AES-CMAC ciphers.
using Stratum.Core.Auth;

namespace Stratum.Engine.Access;

/// <summary>Trusted keys by id, with their source restrictions.</summary>
public sealed class KeyRing : IDisposable
{
    private readonly KeyTable _keys;
    private readonly HashSet<uint> _trusted;
    private readonly Dictionary<ushort, (ClientAddress Address, int PrefixLength)[]> _allowed = [];

    public KeyRing(KeyTable keys, IEnumerable<uint> trustedKeyIds)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(trustedKeyIds);
        _keys = keys;
        _trusted = [.. trustedKeyIds];
        foreach (SymmetricKey key in keys.Keys)
        {
            if (key.AllowedSources.Count > 0)
            {
                _allowed[key.KeyId] = [.. key.AllowedSources.Select(entry => (ClientAddress.From(entry.Address), entry.PrefixLength))];
            }
        }
    }

    /// <summary>No keys: every MAC fails (the server answers it with a crypto-NAK).</summary>
    public static KeyRing Empty { get; } = new(KeyTable.Empty, []);

    /// <summary>Releases the table's loaded AES-CMAC ciphers: the ring owns its table. Whoever replaces
    /// the ring (a keys reload) disposes the old one once nothing uses it.</summary>
    public void Dispose() => _keys.Dispose();

    /// <summary>Keys in the table.</summary>
    public int Count => _keys.Count;

    /// <summary>Trusted key ids.</summary>
    public int TrustedCount => _trusted.Count;

    /// <summary>The key <paramref name="keyId"/> when it is in the keys file and trusted.</summary>
    public bool TryGetTrusted(uint keyId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SymmetricKey? key)
    {
        key = null;
        return _trusted.Contains(keyId) && _keys.TryGetKey(keyId, out key);
    }

    /// <summary>The trusted key <paramref name="keyId"/> when <paramref name="source"/> may use it.</summary>
    public bool TryGetTrusted(uint keyId, in ClientAddress source, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SymmetricKey? key)
    {
        if (!TryGetTrusted(keyId, out key))
        {
            return false;
        }

        if (source.Family == ClientAddressFamily.None || !_allowed.TryGetValue(key.KeyId, out (ClientAddress Address, int PrefixLength)[]? allowed))
        {
            // No access list, or no source to check it against (unrestricted servers in simulations).
            return true;
        }

        foreach ((ClientAddress address, int prefixLength) in allowed)
        {
            if (address.Family == source.Family && SamePrefix(address.Value, source.Value, address.Width, prefixLength))
            {
                return true;
            }
        }

        key = null;
        return false;
    }

    private static bool SamePrefix(UInt128 a, UInt128 b, int width, int prefixLength)
    {
        if (prefixLength <= 0)
        {
            return true;
        }

        int shift = width - Math.Min(prefixLength, width);
        return (a >> shift) == (b >> shift);
    }
}
