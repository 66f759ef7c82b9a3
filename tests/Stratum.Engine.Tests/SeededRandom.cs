// SeededRandom: a deterministic IRandomSource for Engine tests (splitmix64).
namespace Stratum.Engine.Tests;

internal sealed class SeededRandom(ulong seed) : IRandomSource
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
