// OffsetBound: what a sample's round-trip delay says about its offset error beyond a normal spread. An
// NTP offset is off by half the difference of the two one-way delays, so a sample whose delay sits x
// above the path's floor is off by at most x/2 whichever direction queued: the true offset lies within
// ±HalfWidth of the measured one. When queueing is one-sided (an upload-saturated link) the error also
// leans to one side inside that interval: Tilt, the rate of an exponential lean, says by how much.
namespace Stratum.Engine.Discipline;

/// <summary>A hard bound on one sample's offset error, with the lean of the error inside it.</summary>
/// <param name="HalfWidth">The true offset lies within the measured offset ± this, seconds.</param>
/// <param name="Tilt">The error inside the bound is taken as proportional to e^(Tilt·error), 1/s: positive
/// when the measured offset tends to sit above the true one. 0 spreads it evenly.</param>
public readonly record struct OffsetBound(double HalfWidth, double Tilt)
{
    /// <summary>No bound: the sample's error is the normal spread alone.</summary>
    public static OffsetBound None { get; } = new(double.PositiveInfinity, 0);

    /// <summary>True when the bound says something (a finite half-width).</summary>
    public bool IsBounded => double.IsFinite(HalfWidth) && HalfWidth >= 0;

    /// <summary>The bound for an error that leans by <paramref name="meanError"/> on average (seconds, the
    /// asymmetry slope times the sample's extra delay) inside ±<paramref name="halfWidth"/>: the exponential
    /// lean whose mean over the interval is that, from the inverse Langevin function (Cohen's Padé form).</summary>
    public static OffsetBound WithMeanError(double halfWidth, double meanError)
    {
        if (!(halfWidth > 0) || meanError == 0)
        {
            return new OffsetBound(Math.Max(0, halfWidth), 0);
        }

        // An e^(c·u) lean on [−h, h] has mean h·L(c·h), L(k) = coth k − 1/k; invert for the lean wanted.
        double y = Math.Clamp(meanError / halfWidth, -0.95, 0.95);
        double k = y * (3 - (y * y)) / (1 - (y * y));
        return new OffsetBound(halfWidth, k / halfWidth);
    }
}
