// Measurement (docs/simulation.md "Measurement"): RMS, max |·|, mean |·| and mean, the optional start
// time, and convergence time as the last violating tick plus one.
using Stratum.Simulation.Measurement;

namespace Stratum.Simulation.Tests.Measurement;

public class ErrorSeriesTests
{
    private static ErrorSeries Series(params double[] timeErrors)
    {
        var series = new ErrorSeries(1);
        for (int i = 0; i < timeErrors.Length; i++)
        {
            series.Record(i + 1, timeErrors[i], timeErrors[i] / 1000);
        }

        return series;
    }

    [Fact]
    public void Statistics_KnownValues()
    {
        ErrorStatistics statistics = ErrorStatistics.Of([3, -4, 0, 1]);
        Assert.Equal(4, statistics.Count);
        Assert.Equal(Math.Sqrt(26.0 / 4), statistics.Rms, 12);
        Assert.Equal(4, statistics.MaxAbsolute);
        Assert.Equal(2, statistics.MeanAbsolute);
        Assert.Equal(0, statistics.Mean);
    }

    [Fact]
    public void Statistics_FromStartTime_ExcludesEarlierTicks()
    {
        ErrorSeries series = Series(100, 50, 1, -1, 1);
        ErrorStatistics statistics = series.TimeErrorStatistics(fromTrueTime: 3);
        Assert.Equal(3, statistics.Count);
        Assert.Equal(1, statistics.MaxAbsolute);
        Assert.Equal(1.0 / 3, statistics.Mean, 12);
        Assert.Equal(0.1, series.FrequencyErrorStatistics().MaxAbsolute, 12);
    }

    [Fact]
    public void ConvergenceTime_LastViolationPlusOneTick()
    {
        ErrorSeries series = Series(0.5, 0.0001, 0.002, 0.0005, 0.0001);
        Assert.Equal(4, series.ConvergenceTime(0.001));
        Assert.Equal(2, series.ConvergenceTime(0.01));
        Assert.Equal(0, series.ConvergenceTime(1));
        Assert.Equal(6, series.ConvergenceTime(1, maxFrequencyError: 1e-8));
    }
}
