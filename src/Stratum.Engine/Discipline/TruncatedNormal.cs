// TruncatedNormal: mean and variance of a normal distribution restricted to an interval, for the loop
// filter's bounded-error update (ClockDiscipline): a prior N(m, s²) for the true offset, times a sample
// that says "the true offset lies in [a, b]", is that normal truncated to [a, b]. Computed in a form
// that stays accurate when the interval sits far in one tail (differences of tiny probabilities are
// factored through the scaled complementary error function) or is much narrower than s.
namespace Stratum.Engine.Discipline;

/// <summary>Moments of a truncated normal distribution.</summary>
public static class TruncatedNormal
{
    private static readonly double InverseSqrtTwoPi = 1 / Math.Sqrt(2 * Math.PI);
    private static readonly double InverseSqrtTwo = 1 / Math.Sqrt(2);

    /// <summary>Mean and variance of N(<paramref name="mean"/>, <paramref name="sigma"/>²) restricted to
    /// [<paramref name="low"/>, <paramref name="high"/>].</summary>
    /// <returns>False when the interval is empty, sigma is not positive, or the interval is both far
    /// narrower than sigma and beyond 37 σ (no probability a double can hold); the caller then keeps the
    /// plain update.</returns>
    public static bool TryMoments(double mean, double sigma, double low, double high, out double truncatedMean, out double truncatedVariance)
    {
        truncatedMean = mean;
        truncatedVariance = sigma * sigma;
        if (!(sigma > 0) || !(high >= low) || double.IsNaN(mean))
        {
            return false;
        }

        double alpha = (low - mean) / sigma;
        double beta = (high - mean) / sigma;
        if (beta - alpha < 1e-6)
        {
            // Far narrower than the prior: the interval itself (its own spread, uniform).
            if (Math.Max(Math.Abs(alpha), Math.Abs(beta)) > 37)
            {
                return false;
            }

            truncatedMean = (low + high) / 2;
            truncatedVariance = (high - low) * (high - low) / 12;
            return true;
        }

        // Work on the side where the interval is nearer the centre: mirror an interval above the mean.
        bool mirrored = alpha > -beta;
        if (mirrored)
        {
            (alpha, beta) = (-beta, -alpha);
        }

        // Now alpha < beta and |alpha| >= |beta| when both are negative (the interval in the lower tail).
        double ratioAlpha;  // φ(α)/Z
        double ratioBeta;   // φ(β)/Z
        if (beta <= 0)
        {
            // Z = Φ(β) − Φ(α) = ½[erfcx(−β/√2)·e^(−β²/2) − erfcx(−α/√2)·e^(−α²/2)]: factor out e^(−β²/2).
            double far = Math.Exp(-((alpha * alpha) - (beta * beta)) / 2);
            double bracket = ScaledErfc(-beta * InverseSqrtTwo) - (ScaledErfc(-alpha * InverseSqrtTwo) * far);
            if (!(bracket > 0))
            {
                return false;
            }

            ratioBeta = InverseSqrtTwoPi / (0.5 * bracket);
            ratioAlpha = ratioBeta * far;
        }
        else
        {
            double z = Phi(beta) - Phi(alpha);
            if (!(z > 0))
            {
                return false;
            }

            ratioAlpha = Density(alpha) / z;
            ratioBeta = Density(beta) / z;
        }

        double shift = ratioAlpha - ratioBeta;
        double spread = 1 + (Tail(alpha) * ratioAlpha) - (Tail(beta) * ratioBeta) - (shift * shift);
        double meanStandard = mirrored ? -shift : shift;
        truncatedMean = mean + (sigma * meanStandard);
        truncatedVariance = sigma * sigma * Math.Clamp(spread, 0, 1);
        return double.IsFinite(truncatedMean);
    }

    // x·φ(x)/Z needs x finite; an infinite bound contributes nothing (φ(±∞) = 0).
    private static double Tail(double x) => double.IsInfinity(x) ? 0 : x;

    private static double Density(double x) => double.IsInfinity(x) ? 0 : InverseSqrtTwoPi * Math.Exp(-x * x / 2);

    /// <summary>Φ(x), the standard normal distribution function.</summary>
    public static double Phi(double x)
    {
        if (double.IsNegativeInfinity(x))
        {
            return 0;
        }

        if (double.IsPositiveInfinity(x))
        {
            return 1;
        }

        double z = -x * InverseSqrtTwo;
        double erfc = z >= 0 ? ScaledErfc(z) * Math.Exp(-z * z) : 2 - (ScaledErfc(-z) * Math.Exp(-z * z));
        return 0.5 * erfc;
    }

    /// <summary>erfcx(z) = e^(z²)·erfc(z) for z ≥ 0 (relative error below 1.2e-7): the Chebyshev-fitted
    /// exponent form of erfc, whose e^(−z²) factor is left out so that it cannot underflow.</summary>
    public static double ScaledErfc(double z)
    {
        if (double.IsPositiveInfinity(z))
        {
            return 0;
        }

        double t = 1 / (1 + (0.5 * z));
        double exponent = -1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
            + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        return t * Math.Exp(exponent);
    }
}
