// CryptoRandomSource: the daemon's IRandomSource: transmit cookies and poll jitter come from the
// operating system's CSPRNG, so an off-path attacker cannot predict the origin timestamp a reply
// must echo (RFC 5905 §8 origin check; RFC 9109's aim for source ports).
using System.Security.Cryptography;
using Stratum.Engine;

namespace Stratum.Platform.Hosting;

/// <summary>Random values from RandomNumberGenerator.</summary>
public sealed class CryptoRandomSource : IRandomSource
{
    public ulong NextUInt64()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }
}
