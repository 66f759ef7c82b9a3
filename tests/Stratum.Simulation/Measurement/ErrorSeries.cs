// ErrorSeries: the per-tick log of one node (docs/simulation.md "Measurement"): at every model tick the
// true time T, the time error time − T and the frequency error f_total − 1. Statistics can start at
// a given true time to exclude convergence; the convergence time is the last tick at which |time
// error| exceeded its threshold (or |frequency error| its own) plus one tick interval, 0 when never.
using System.Runtime.InteropServices;

namespace Stratum.Simulation.Measurement;

/// <summary>Per-tick time and frequency errors of one node.</summary>
public sealed class ErrorSeries
{
    private readonly List<double> _trueTimes;
    private readonly List<double> _timeErrors;
    private readonly List<double> _frequencyErrors;

    public ErrorSeries(double tickInterval, int expectedTicks = 0)
    {
        TickInterval = tickInterval;
        _trueTimes = new List<double>(expectedTicks);
        _timeErrors = new List<double>(expectedTicks);
        _frequencyErrors = new List<double>(expectedTicks);
    }

    public double TickInterval { get; }

    public int Count => _trueTimes.Count;

    public IReadOnlyList<double> TrueTimes => _trueTimes;

    public IReadOnlyList<double> TimeErrors => _timeErrors;

    public IReadOnlyList<double> FrequencyErrors => _frequencyErrors;

    public void Record(double trueTime, double timeError, double frequencyError)
    {
        _trueTimes.Add(trueTime);
        _timeErrors.Add(timeError);
        _frequencyErrors.Add(frequencyError);
    }

    /// <summary>Time-error statistics over ticks at or after <paramref name="fromTrueTime"/>.</summary>
    public ErrorStatistics TimeErrorStatistics(double fromTrueTime = 0) =>
        ErrorStatistics.Of(CollectionsMarshal.AsSpan(_timeErrors)[FirstIndexAt(fromTrueTime)..]);

    /// <summary>Frequency-error statistics over ticks at or after <paramref name="fromTrueTime"/>.</summary>
    public ErrorStatistics FrequencyErrorStatistics(double fromTrueTime = 0) =>
        ErrorStatistics.Of(CollectionsMarshal.AsSpan(_frequencyErrors)[FirstIndexAt(fromTrueTime)..]);

    /// <summary>
    /// The true time after which |time error| stays ≤ <paramref name="maxTimeError"/> and |frequency
    /// error| ≤ <paramref name="maxFrequencyError"/>: the last violating tick plus one tick; 0 when never violated.
    /// </summary>
    public double ConvergenceTime(double maxTimeError, double maxFrequencyError = double.PositiveInfinity)
    {
        for (int i = _trueTimes.Count - 1; i >= 0; i--)
        {
            if (Math.Abs(_timeErrors[i]) > maxTimeError || Math.Abs(_frequencyErrors[i]) > maxFrequencyError)
            {
                return _trueTimes[i] + TickInterval;
            }
        }

        return 0;
    }

    private int FirstIndexAt(double trueTime)
    {
        int index = _trueTimes.BinarySearch(trueTime);
        if (index < 0)
        {
            return ~index;
        }

        while (index > 0 && _trueTimes[index - 1] >= trueTime)
        {
            index--;
        }

        return index;
    }
}
