// ErrorStatistics: the summary statistics of docs/simulation.md "Measurement": RMS, max |·|, mean |·| and
// mean of a series of per-tick errors.
namespace Stratum.Simulation.Measurement;

/// <summary>Statistics of a series of errors (seconds, or s/s for frequency).</summary>
public readonly record struct ErrorStatistics(int Count, double Rms, double MaxAbsolute, double MeanAbsolute, double Mean)
{
    /// <summary>Statistics of <paramref name="values"/>; all zero when empty.</summary>
    public static ErrorStatistics Of(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return default;
        }

        double sumSquares = 0;
        double sumAbsolute = 0;
        double sum = 0;
        double max = 0;
        foreach (double value in values)
        {
            double absolute = Math.Abs(value);
            sumSquares += value * value;
            sumAbsolute += absolute;
            sum += value;
            max = Math.Max(max, absolute);
        }

        return new ErrorStatistics(values.Length, Math.Sqrt(sumSquares / values.Length), max, sumAbsolute / values.Length, sum / values.Length);
    }
}
