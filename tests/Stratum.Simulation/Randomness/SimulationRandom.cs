// SimulationRandom: the seeded generator of docs/simulation.md "Random numbers and determinism". A xoshiro256** stream
// seeded through SplitMix64; uniforms combine two 31-bit draws into an open interval (0, 1) as the
// reference simulator does; normals use the Marsaglia polar method (the spare value is kept, so a
// stream is a pure function of its seed); exponentials are −ln U. Each link and oscillator gets its
// own stream, derived from a master stream with CreateStream, so draws on one link never shift
// another's sequence. Not cryptographic; deterministic across platforms (integer core, IEEE doubles).
namespace Stratum.Simulation.Randomness;

/// <summary>A deterministic random stream.</summary>
public sealed class SimulationRandom
{
    private const double TwoTo31 = 2147483648.0;

    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double _spareNormal;
    private bool _hasSpareNormal;

    public SimulationRandom(ulong seed)
    {
        ulong state = seed;
        _s0 = SplitMix64(ref state);
        _s1 = SplitMix64(ref state);
        _s2 = SplitMix64(ref state);
        _s3 = SplitMix64(ref state);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A 31-bit draw, as random(3) gives.</summary>
    public uint Next31Bits() => (uint)(NextUInt64() >> 33);

    /// <summary>Uniform in the open interval (0, 1): two 31-bit draws combined, never 0 or 1.</summary>
    public double Uniform()
    {
        double high = Next31Bits();
        double low = Next31Bits();
        return ((high * TwoTo31) + low + 0.5) / (TwoTo31 * TwoTo31);
    }

    /// <summary>Standard normal N(0, 1) by the Marsaglia polar method.</summary>
    public double Normal()
    {
        if (_hasSpareNormal)
        {
            _hasSpareNormal = false;
            return _spareNormal;
        }

        double x;
        double y;
        double s;
        do
        {
            x = (2 * Uniform()) - 1;
            y = (2 * Uniform()) - 1;
            s = (x * x) + (y * y);
        }
        while (s >= 1 || s == 0);

        double factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareNormal = y * factor;
        _hasSpareNormal = true;
        return x * factor;
    }

    /// <summary>Exponential with mean 1: −ln U.</summary>
    public double Exponential() => -Math.Log(Uniform());

    /// <summary>Poisson with mean <paramref name="lambda"/> by the product method.</summary>
    public int Poisson(double lambda)
    {
        double limit = Math.Exp(-lambda);
        double product = Uniform();
        int count = 0;
        while (product > limit)
        {
            product *= Uniform();
            count++;
        }

        return count;
    }

    /// <summary>A new independent stream seeded from this one (the master stream's job).</summary>
    public SimulationRandom CreateStream() => new(NextUInt64());

    private static ulong RotateLeft(ulong value, int bits) => (value << bits) | (value >> (64 - bits));

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
