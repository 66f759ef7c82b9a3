// IRandomSource: randomness for the Engine (transmit cookies, poll jitter, pool order), injected so
// the daemon uses a CSPRNG and tests a seeded generator (ARCHITECTURE.md §3).
namespace Stratum.Engine;

/// <summary>A source of random 64-bit values.</summary>
public interface IRandomSource
{
    ulong NextUInt64();
}
