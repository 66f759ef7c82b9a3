// KeyTable: the symmetric keys of one keys file, looked up by key id when a MAC is checked or
// made. Immutable once built, so a reload builds a new table and swaps it in whole (ntpd also
// rejects a keys file with errors and keeps the keys it had), then disposes the old one, which
// releases its keys' AES-CMAC ciphers.
using System.Diagnostics.CodeAnalysis;

namespace Stratum.Core.Auth;

/// <summary>Keys by id.</summary>
public sealed class KeyTable : IDisposable
{
    private readonly Dictionary<ushort, SymmetricKey> _byId;

    public KeyTable(IEnumerable<SymmetricKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _byId = [];
        foreach (SymmetricKey key in keys)
        {
            if (!_byId.TryAdd(key.KeyId, key))
            {
                throw new ArgumentException($"key {key.KeyId} appears twice", nameof(keys));
            }
        }
    }

    /// <summary>A table without keys.</summary>
    public static KeyTable Empty { get; } = new([]);

    public int Count => _byId.Count;

    /// <summary>The key with <paramref name="keyId"/> (a MAC's 32-bit key id field); false when unknown.</summary>
    public bool TryGetKey(uint keyId, [NotNullWhen(true)] out SymmetricKey? key)
    {
        key = null;
        return keyId is >= 1 and <= ushort.MaxValue && _byId.TryGetValue((ushort)keyId, out key);
    }

    /// <summary>Releases the keys' loaded ciphers (AES-CMAC): call once the table is no longer used
    /// (replaced by a reload).</summary>
    public void Dispose()
    {
        foreach (SymmetricKey key in _byId.Values)
        {
            key.Dispose();
        }
    }

    /// <summary>All keys in ascending id order.</summary>
    public IReadOnlyList<SymmetricKey> Keys
    {
        get
        {
            var keys = new List<SymmetricKey>(_byId.Values);
            keys.Sort(static (a, b) => a.KeyId.CompareTo(b.KeyId));
            return keys;
        }
    }
}
