// FrequencySlew: a phase correction carried out by running the clock fast or slow by a known rate for a
// known time, on top of the frequency the discipline set. Unlike adjtime(3) or the kernel PLL, whose
// progress moves in per-second chunks that the kernel does not always let us place within its second,
// the correction made so far is exactly rate × elapsed time, so a sample measured in the middle of a
// large correction is referred to the corrected clock without error; and the rate can go beyond
// adjtime's 500 ppm (the driver reaches it with the tick length), so a 100 ms start-up offset is gone
// in seconds instead of minutes. The host must call OnDeadline at Deadline (the end of the slew);
// waking late only lengthens the slew by a known amount, which is slewed back at once. Time is measured
// on CLOCK_MONOTONIC, which the slew itself speeds up or slows down (by the rate; the base frequency
// only cancels the oscillator's error): a second of it lasts 1/(1 + rate) true seconds, and the phase
// gained is rate × true time, so the durations here carry that factor (at 0.5 % it is 0.5 ms in 100 ms).
namespace Stratum.Platform.Clock;

/// <summary>Slews phase through the clock frequency, with an exactly known remainder.</summary>
public sealed class FrequencySlew
{
    /// <summary>Fastest slew, s/s: 0.5 %, 100 ms in 20 s. A kernel applies a frequency change within a tick
    /// (1-10 ms), so each start or end of a slew may be off by up to rate × tick: 50 µs at this rate, taken
    /// up by the next samples.</summary>
    public const double MaxRate = 0.005;

    /// <summary>Shortest slew, seconds: a small correction is spread over this time (the kernel PLL at time
    /// constant 0 takes about as long), rather than jumping the frequency for a moment.</summary>
    public const double MinDuration = 4;

    private readonly IClockDriver _clock;
    private double _baseFrequency;
    private double _rate;
    private long _start;
    private long _end;

    /// <param name="clock">The driver whose frequency runs the slew (its <see cref="IClockDriver.MaxSlewFrequency"/> &gt; 0).</param>
    public FrequencySlew(IClockDriver clock)
    {
        _clock = clock;
    }

    /// <summary>True while a slew runs.</summary>
    public bool Active => _rate != 0;

    /// <summary>Monotonic ns at which <see cref="OnDeadline"/> must be called; long.MaxValue when idle.</summary>
    public long Deadline => Active ? _end : long.MaxValue;

    /// <summary>The frequency the discipline set (s/s), which the slew runs on top of.</summary>
    public double BaseFrequency => _baseFrequency;

    /// <summary>Phase still to be slewed at monotonic time <paramref name="now"/> (ns), seconds.</summary>
    public double Remaining(long now) => Active ? PhaseOver(Math.Max(0, _end - now)) : 0;

    // Phase gained at the slew rate over this much monotonic time (ns).
    private double PhaseOver(long monotonicNanoseconds) => _rate * monotonicNanoseconds / 1e9 / (1 + _rate);

    /// <summary>From <paramref name="now"/> on, the clock moves by <paramref name="offsetSeconds"/> in total
    /// (this replaces the slew in progress, as adjtime does).</summary>
    public ClockWriteResult Start(double offsetSeconds, long now)
    {
        if (offsetSeconds == 0 || !double.IsFinite(offsetSeconds))
        {
            return Stop();
        }

        double limit = Math.Max(0, Math.Min(MaxRate, _clock.MaxSlewFrequency - Math.Abs(_baseFrequency)));
        if (limit <= 0)
        {
            return Stop();
        }

        double duration = Math.Max(MinDuration, Math.Abs(offsetSeconds) / limit);
        _rate = offsetSeconds / duration;
        long durationNanoseconds = Math.Max(1, (long)Math.Round(duration * (1 + _rate) * 1e9));
        _start = now;
        _end = now + durationNanoseconds;
        return _clock.SetFrequency(_baseFrequency + _rate);
    }

    /// <summary>Ends the slew where it is (the remainder is dropped) and restores the base frequency.</summary>
    public ClockWriteResult Stop()
    {
        bool wasActive = Active;
        _rate = 0;
        return wasActive ? _clock.SetFrequency(_baseFrequency) : ClockWriteResult.Applied;
    }

    /// <summary>The discipline's new frequency; a running slew stays on top of it.</summary>
    public ClockWriteResult SetBaseFrequency(double frequency)
    {
        _baseFrequency = frequency;
        return _clock.SetFrequency(_baseFrequency + _rate);
    }

    /// <summary>At or after <see cref="Deadline"/>: back to the base frequency; the time overslept ran at the
    /// slew rate, and that much is slewed back.</summary>
    public ClockWriteResult OnDeadline(long now)
    {
        if (!Active || now < _end)
        {
            return ClockWriteResult.Applied;
        }

        double overshoot = PhaseOver(now - _end);
        _rate = 0;
        return Math.Abs(overshoot) >= 1e-9 ? Start(-overshoot, now) : _clock.SetFrequency(_baseFrequency);
    }
}
