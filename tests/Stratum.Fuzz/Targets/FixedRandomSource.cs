// FixedRandomSource: the Engine's IRandomSource for the responder targets, a splitmix64 sequence from
// a fixed seed. Each input gets a fresh one, so transmit cookies, poll jitter, the MRU hash key and
// the mrulist nonce key are the same on every run and a crash replays exactly.
using Stratum.Engine;

namespace Stratum.Fuzz.Targets;

/// <summary>A deterministic IRandomSource (splitmix64).</summary>
internal sealed class FixedRandomSource(ulong seed) : IRandomSource
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
