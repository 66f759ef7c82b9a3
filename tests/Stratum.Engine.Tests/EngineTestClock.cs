// EngineTestClock: LoopTime values for Engine tests, advanced by hand (time is injected, never slept).
using Stratum.Core.Time;
using Stratum.Engine;

namespace Stratum.Engine.Tests;

internal sealed class EngineTestClock
{
    public const long StartUnixNanoseconds = 1_795_000_000L * 1_000_000_000;

    public long Mono { get; private set; } = 5_000_000_000;

    public long Real { get; private set; } = StartUnixNanoseconds;

    public LoopTime Now => new(Mono, NtpTimestamp.FromUnixNanoseconds(Real));

    public void Advance(double seconds)
    {
        long nanos = (long)(seconds * 1e9);
        Mono += nanos;
        Real += nanos;
    }
}
