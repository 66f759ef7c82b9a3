// KeyType: the MAC algorithms a symmetric key of the keys file can name (ntpd 4.2.8 authopt.html
// and ntp.keys(5): MD5 always, the OpenSSL digests, and AES128CMAC). Only the algorithms .NET
// offers without extra packages are listed; any other name in the keys file is reported and
// the key skipped, as ntpd skips a type its OpenSSL lacks. Names are read by KeyTypeNames.
namespace Stratum.Core.Auth;

/// <summary>Algorithm of a symmetric key. Digests longer than 20 octets are truncated to 20 on the wire.</summary>
public enum KeyType : byte
{
    /// <summary>MD5 (RFC 1321): a 16-octet digest; also named "M" in old keys files.</summary>
    Md5 = 1,

    /// <summary>SHA-1: a 20-octet digest.</summary>
    Sha1 = 2,

    /// <summary>SHA-256, truncated to 20 octets in a MAC.</summary>
    Sha256 = 3,

    /// <summary>SHA-384, truncated to 20 octets in a MAC.</summary>
    Sha384 = 4,

    /// <summary>SHA-512, truncated to 20 octets in a MAC.</summary>
    Sha512 = 5,

    /// <summary>AES-128 CMAC (RFC 8573): a 16-octet MAC with a 16-octet key.</summary>
    Aes128Cmac = 6,
}
