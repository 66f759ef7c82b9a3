// TruncatedNormal and OffsetBound: the truncated normal's moments against numerical integration (inside,
// across and far out in a tail, narrow and half-infinite intervals), Φ against tabled values, and the
// exponential lean of an OffsetBound against the mean it was asked for.
using Stratum.Engine.Discipline;

namespace Stratum.Engine.Tests.Discipline;

public class TruncatedNormalTests
{
    // Moments of N(mean, sigma²) on [low, high] by the midpoint rule over a fine grid.
    private static (double Mean, double Variance) Integrate(double mean, double sigma, double low, double high)
    {
        const int steps = 200_000;
        double width = (high - low) / steps;
        double mass = 0, first = 0, second = 0;
        for (int i = 0; i < steps; i++)
        {
            double x = low + ((i + 0.5) * width);
            double z = (x - mean) / sigma;
            double w = Math.Exp(-z * z / 2);
            mass += w;
            first += w * x;
            second += w * x * x;
        }

        double m = first / mass;
        return (m, (second / mass) - (m * m));
    }

    [Theory]
    [InlineData(0, 1, -1, 1)]
    [InlineData(0, 1, -0.2, 3)]
    [InlineData(0, 1, 1, 2)]
    [InlineData(0, 1, -6, -5.5)]
    [InlineData(0, 1, 8, 8.5)]
    [InlineData(5e-6, 20e-6, 30e-6, 90e-6)]
    [InlineData(-3e-6, 2e-6, -40e-6, -30e-6)]
    [InlineData(0, 50e-6, -400e-6, 400e-6)]
    public void Moments_MatchNumericalIntegration(double mean, double sigma, double low, double high)
    {
        Assert.True(TruncatedNormal.TryMoments(mean, sigma, low, high, out double m, out double v));
        (double expectedMean, double expectedVariance) = Integrate(mean, sigma, low, high);
        double width = high - low;
        Assert.True(Math.Abs(m - expectedMean) < 1e-5 * width, $"mean {m} vs {expectedMean}");
        Assert.True(Math.Abs(v - expectedVariance) < 1e-4 * width * width, $"variance {v} vs {expectedVariance}");
    }

    [Fact]
    public void Moments_HalfInfinite_AreTheOneSidedNormal()
    {
        // N(0, 1) above 0: mean √(2/π), variance 1 − 2/π.
        Assert.True(TruncatedNormal.TryMoments(0, 1, 0, double.PositiveInfinity, out double m, out double v));
        Assert.Equal(Math.Sqrt(2 / Math.PI), m, 6);
        Assert.Equal(1 - (2 / Math.PI), v, 6);
        Assert.True(TruncatedNormal.TryMoments(0, 1, double.NegativeInfinity, 0, out m, out v));
        Assert.Equal(-Math.Sqrt(2 / Math.PI), m, 6);
    }

    [Fact]
    public void Moments_WideInterval_LeaveThePriorAlone()
    {
        Assert.True(TruncatedNormal.TryMoments(3e-6, 10e-6, -1e-3, 1e-3, out double m, out double v));
        Assert.Equal(3e-6, m, 12);
        Assert.Equal(100e-12, v, 15);
    }

    [Fact]
    public void Moments_NarrowInterval_AreTheIntervalsOwn()
    {
        Assert.True(TruncatedNormal.TryMoments(0, 1e-3, 10e-6, 10e-6 + 1e-12, out double m, out double v));
        Assert.Equal(10e-6, m, 11);
        Assert.True(v < 1e-24);
    }

    [Fact]
    public void Moments_FarInTheTail_StayInsideTheInterval_AndNonsenseIsRefused()
    {
        // 30 σ out: the mean sits just inside the near end, by about σ²/distance.
        Assert.True(TruncatedNormal.TryMoments(0, 1, 30, 31, out double m, out double v));
        Assert.InRange(m, 30, 30.05);
        Assert.InRange(v, 0, 0.01);
        Assert.True(TruncatedNormal.TryMoments(0, 1, 60, 61, out m, out _));
        Assert.InRange(m, 60, 60.02);
        Assert.False(TruncatedNormal.TryMoments(0, 1, 1e4, 1e4 + 1e-9, out _, out _));
        Assert.False(TruncatedNormal.TryMoments(0, 1, 2, 1, out _, out _));
        Assert.False(TruncatedNormal.TryMoments(0, 0, -1, 1, out _, out _));
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(1, 0.8413447461)]
    [InlineData(-1.96, 0.0249978952)]
    [InlineData(3, 0.9986501020)]
    [InlineData(-5, 2.866515719e-7)]
    public void Phi_MatchesTables(double x, double expected) =>
        Assert.True(Math.Abs(TruncatedNormal.Phi(x) - expected) <= 2e-7 * Math.Max(expected, 1e-3), $"{TruncatedNormal.Phi(x)}");

    [Theory]
    [InlineData(100e-6, 10e-6)]
    [InlineData(100e-6, -40e-6)]
    [InlineData(50e-6, 30e-6)]
    public void OffsetBound_Lean_HasTheMeanAskedFor(double halfWidth, double meanError)
    {
        OffsetBound bound = OffsetBound.WithMeanError(halfWidth, meanError);
        Assert.Equal(halfWidth, bound.HalfWidth);
        Assert.Equal(Math.Sign(meanError), Math.Sign(bound.Tilt));

        // Mean of e^(tilt·u) over [−h, h]; the Padé inverse is within a few per cent.
        double mass = 0, first = 0;
        const int steps = 100_000;
        for (int i = 0; i < steps; i++)
        {
            double u = -halfWidth + ((i + 0.5) * 2 * halfWidth / steps);
            double w = Math.Exp(bound.Tilt * u);
            mass += w;
            first += w * u;
        }

        Assert.True(Math.Abs((first / mass) - meanError) < 0.05 * Math.Abs(meanError), $"{first / mass} vs {meanError}");
    }

    [Fact]
    public void OffsetBound_None_IsUnbounded_AndNoLeanIsEven()
    {
        Assert.False(OffsetBound.None.IsBounded);
        Assert.True(OffsetBound.WithMeanError(10e-6, 0).IsBounded);
        Assert.Equal(0, OffsetBound.WithMeanError(10e-6, 0).Tilt);
    }
}
