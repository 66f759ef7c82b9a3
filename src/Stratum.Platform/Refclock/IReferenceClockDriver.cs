// IReferenceClockDriver: what RefclockDrivers needs of a reference clock driver (ntpd's refclock
// interface, reduced): once a second Read takes whatever readings the clock produced, each poll
// TakeSample turns the readings of the interval into one sample (or none), and Leap and Precision say
// what the clock last claimed. A reading is the clock's time minus the system clock's at the same
// instant, in seconds. A new driver is one class implementing this, opened by NtpdDaemon from its
// refclock type; RefclockReadings gives every driver the same way of reducing readings to a sample.
using Stratum.Core.Wire;

namespace Stratum.Platform.Refclock;

/// <summary>One reference clock unit, polled by the event loop.</summary>
public interface IReferenceClockDriver : IDisposable
{
    /// <summary>Leap bits the clock last gave (3 until it says it is synchronized).</summary>
    LeapIndicator Leap { get; }

    /// <summary>Precision of the clock's readings (log2 s).</summary>
    sbyte Precision { get; }

    /// <summary>Takes the readings that came since the last call (called once a second on the loop thread).</summary>
    void Read();

    /// <summary>The poll's sample from the readings since the last one, which are then dropped; false when there were none.</summary>
    bool TakeSample(out double offset, out double jitter);
}

/// <summary>The readings of one poll interval and their reduction to a sample.</summary>
/// <remarks>ntpd's refclock median filter in spirit: the readings are sorted, the lowest and highest 20 %
/// dropped (a reading delayed by scheduling sits at an end), the rest averaged, their spread the jitter.</remarks>
public sealed class RefclockReadings
{
    private readonly double[] _readings;

    public RefclockReadings(int capacity = 64)
    {
        _readings = new double[capacity];
    }

    public int Count { get; private set; }

    /// <summary>Keeps one reading (seconds); ignored when the interval already holds the maximum.</summary>
    public void Add(double offset)
    {
        if (Count < _readings.Length)
        {
            _readings[Count++] = offset;
        }
    }

    /// <summary>The sample of the readings held, which are then dropped; false when there are none.</summary>
    public bool TakeSample(out double offset, out double jitter)
    {
        offset = jitter = 0;
        if (Count == 0)
        {
            return false;
        }

        Span<double> readings = _readings.AsSpan(0, Count);
        readings.Sort();
        int trim = (int)(readings.Length * 0.2);
        Span<double> kept = readings[trim..^trim];
        double sum = 0;
        foreach (double value in kept)
        {
            sum += value;
        }

        offset = sum / kept.Length;
        double squares = 0;
        foreach (double value in kept)
        {
            squares += (value - offset) * (value - offset);
        }

        jitter = Math.Sqrt(squares / kept.Length);
        Count = 0;
        return true;
    }
}
