// CryptoRandomSource: the daemon's IRandomSource: transmit cookies and poll jitter come from the
// operating system's CSPRNG, so an off-path attacker cannot predict the origin timestamp a reply
// must echo (RFC 5905 §8 origin check; RFC 9109's aim for source ports). It calls getrandom(2)
// (the kernel CSPRNG) and falls back to RandomNumberGenerator only if that fails: the latter loads
// OpenSSL on Linux, about 3.7 MB of resident memory a time server has no other use for.
using System.Security.Cryptography;
using Stratum.Engine;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Hosting;

/// <summary>Random values from the kernel's CSPRNG.</summary>
public sealed class CryptoRandomSource : IRandomSource
{
    public unsafe ulong NextUInt64()
    {
        ulong value;
        if (RandomCalls.GetRandom(&value, sizeof(ulong), 0) == sizeof(ulong))
        {
            return value;
        }

        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }
}
