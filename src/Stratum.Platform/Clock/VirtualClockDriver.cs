// VirtualClockDriver: `ntpd --virtual-clock [OFFSET[,PPM]]` (ARCHITECTURE.md §5). A private clock laid
// over the real one: virtual = real + phase + frequency × (real − base). Steps, slews and frequency
// writes land on this mapping and never on the real clock, so many daemons on one machine can each
// keep (and discipline) their own time. Kernel receive stamps pass through the same mapping. Slews
// are applied at once as phase (the sync-engine work will spread them at 500 ppm).
using Stratum.Core.Wire;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Clock;

/// <summary>A virtual clock: an exact, invertible linear mapping of CLOCK_REALTIME.</summary>
public sealed class VirtualClockDriver : IClockDriver
{
    private readonly Func<long> _readRealtime;
    private readonly Func<long> _readMonotonic;
    private long _baseRealNanoseconds;
    private double _phaseNanoseconds;
    private double _frequency;

    public VirtualClockDriver(double offsetSeconds, double frequency, Func<long>? readRealtime = null, Func<long>? readMonotonic = null)
    {
        _readRealtime = readRealtime ?? ClockGetTime.Realtime;
        _readMonotonic = readMonotonic ?? ClockGetTime.Monotonic;
        _baseRealNanoseconds = _readRealtime();
        _phaseNanoseconds = offsetSeconds * 1e9;
        _frequency = frequency;
    }

    public string Name => "virtual";

    public bool CanAdjust => true;

    /// <summary>Current frequency offset of the virtual clock relative to the real one (s/s).</summary>
    public double Frequency => _frequency;

    public long ReadRealtimeNanoseconds() => MapKernelRealtime(_readRealtime());

    public long ReadMonotonicNanoseconds() => _readMonotonic();

    public long MapKernelRealtime(long kernelRealtimeNanoseconds) =>
        kernelRealtimeNanoseconds + (long)Math.Round(_phaseNanoseconds + (_frequency * (kernelRealtimeNanoseconds - _baseRealNanoseconds)));

    /// <summary>How far this virtual clock is ahead of the real clock now, in seconds.</summary>
    public double OffsetFromRealSeconds()
    {
        long real = _readRealtime();
        return (MapKernelRealtime(real) - real) / 1e9;
    }

    public ClockWriteResult Step(double offsetSeconds)
    {
        _phaseNanoseconds += offsetSeconds * 1e9;
        return ClockWriteResult.Applied;
    }

    public ClockWriteResult Slew(double offsetSeconds) => Step(offsetSeconds);

    public ClockWriteResult SetFrequency(double frequency)
    {
        // Re-base so the phase is continuous at the moment of the change.
        long real = _readRealtime();
        _phaseNanoseconds += _frequency * (real - _baseRealNanoseconds);
        _baseRealNanoseconds = real;
        _frequency = Math.Clamp(frequency, -500e-6, 500e-6);
        return ClockWriteResult.Applied;
    }

    public ClockWriteResult SetStatus(LeapIndicator leap, bool synchronized, double maxErrorSeconds, double estimatedErrorSeconds) =>
        ClockWriteResult.Applied;
}
