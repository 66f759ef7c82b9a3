// SntpClock: the two clocks the SNTP client reads, injected so tests can fake them. Realtime (Unix
// nanoseconds) stamps T1 and T4 of RFC 5905 §8; monotonic nanoseconds time the waits and timeouts.
// ntpdate passes its clock driver's readers; tests pass a fake that the fake network advances.
namespace Stratum.Client.Sntp;

/// <summary>Realtime and monotonic clock readers, in nanoseconds.</summary>
public sealed class SntpClock
{
    private readonly Func<long> _readRealtime;
    private readonly Func<long> _readMonotonic;

    public SntpClock(Func<long> readRealtimeNanoseconds, Func<long> readMonotonicNanoseconds)
    {
        ArgumentNullException.ThrowIfNull(readRealtimeNanoseconds);
        ArgumentNullException.ThrowIfNull(readMonotonicNanoseconds);
        _readRealtime = readRealtimeNanoseconds;
        _readMonotonic = readMonotonicNanoseconds;
    }

    /// <summary>The local clock as Unix nanoseconds (the clock ntpdate would set).</summary>
    public long ReadRealtimeNanoseconds() => _readRealtime();

    /// <summary>A monotonic clock in nanoseconds, for timeouts only.</summary>
    public long ReadMonotonicNanoseconds() => _readMonotonic();
}
