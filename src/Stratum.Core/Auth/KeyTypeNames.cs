// KeyTypeNames: the spelling of key types in the keys file. ntpd 4.2.8 upper-cases the word and
// asks OpenSSL for a digest of that short name (so "md5", "Sha1" and "SHA256" all work), takes
// "AES128CMAC" for the CMAC, and keeps "M" as the old one-letter name of MD5.
// Deviation: ntpd built without OpenSSL took any word starting with 'M' as MD5; only "M" and
// "MD5" are MD5 here, so a typo such as "MD4" is reported instead of silently meaning MD5.
namespace Stratum.Core.Auth;

/// <summary>Parses and prints <see cref="KeyType"/> names.</summary>
public static class KeyTypeNames
{
    /// <summary>Reads a type word case-insensitively; false for a name Stratum does not support.</summary>
    public static bool TryParse(string text, out KeyType type)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text.ToUpperInvariant())
        {
            case "M":
            case "MD5":
                type = KeyType.Md5;
                return true;
            case "SHA1":
                type = KeyType.Sha1;
                return true;
            case "SHA256":
                type = KeyType.Sha256;
                return true;
            case "SHA384":
                type = KeyType.Sha384;
                return true;
            case "SHA512":
                type = KeyType.Sha512;
                return true;
            case "AES128CMAC":
                type = KeyType.Aes128Cmac;
                return true;
            default:
                type = default;
                return false;
        }
    }

    /// <summary>The name ntpq's "keytype" shows and the keys file uses.</summary>
    public static string Name(KeyType type) => type switch
    {
        KeyType.Md5 => "MD5",
        KeyType.Sha1 => "SHA1",
        KeyType.Sha256 => "SHA256",
        KeyType.Sha384 => "SHA384",
        KeyType.Sha512 => "SHA512",
        KeyType.Aes128Cmac => "AES128CMAC",
        _ => "(unknown key type)",
    };
}
