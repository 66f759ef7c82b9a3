// ObserveOnlyClockDriver: `disable ntp` (ARCHITECTURE.md §5). It reads the real clock and records
// every write without performing it, not even status bits, so the daemon serves the system clock as
// it is while something else owns it. The first ignored write is reported once through the callback.
using Stratum.Core.Wire;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Clock;

/// <summary>Reads CLOCK_REALTIME; ignores and counts writes.</summary>
public sealed class ObserveOnlyClockDriver : IClockDriver
{
    private readonly Action<string>? _firstIgnoredWrite;
    private bool _reported;

    public ObserveOnlyClockDriver(Action<string>? firstIgnoredWrite = null)
    {
        _firstIgnoredWrite = firstIgnoredWrite;
    }

    public string Name => "observe-only";

    public bool CanAdjust => false;

    /// <summary>Writes that were asked for and ignored.</summary>
    public int IgnoredWrites { get; private set; }

    public long ReadRealtimeNanoseconds() => ClockGetTime.Realtime();

    public long ReadMonotonicNanoseconds() => ClockGetTime.Monotonic();

    public long MapKernelRealtime(long kernelRealtimeNanoseconds) => kernelRealtimeNanoseconds;

    public ClockWriteResult Step(double offsetSeconds) => Ignore("step");

    public ClockWriteResult Slew(double offsetSeconds) => Ignore("slew");

    public ClockWriteResult SetFrequency(double frequency) => Ignore("frequency");

    public ClockWriteResult SetStatus(LeapIndicator leap, bool synchronized, double maxErrorSeconds, double estimatedErrorSeconds) => Ignore("status");

    private ClockWriteResult Ignore(string what)
    {
        IgnoredWrites++;
        if (!_reported)
        {
            _reported = true;
            _firstIgnoredWrite?.Invoke(what);
        }

        return ClockWriteResult.Ignored;
    }
}
