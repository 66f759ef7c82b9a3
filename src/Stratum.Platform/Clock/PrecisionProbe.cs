// PrecisionProbe: measures the system precision at start (RFC 5905 §7.3 "Precision"): the
// smallest non-zero step between successive clock readings, as a log2 exponent rounded to the
// nearest integer, as ntpd reports it ("proto: precision = 0.060 usec (-24)").
namespace Stratum.Platform.Clock;

/// <summary>Measures how finely the clock can be read.</summary>
public static class PrecisionProbe
{
    /// <summary>Returns the precision exponent and the measured step in seconds.</summary>
    public static (sbyte Exponent, double StepSeconds) Measure(IClockDriver clock, int samples = 256)
    {
        ArgumentNullException.ThrowIfNull(clock);
        long minimum = long.MaxValue;
        long previous = clock.ReadRealtimeNanoseconds();
        for (int i = 0; i < samples; i++)
        {
            long current = clock.ReadRealtimeNanoseconds();
            long step = current - previous;
            if (step > 0 && step < minimum)
            {
                minimum = step;
            }

            previous = current;
        }

        double seconds = minimum == long.MaxValue ? 1e-6 : minimum / 1e9;
        int exponent = (int)Math.Round(Math.Log2(seconds));
        return ((sbyte)Math.Clamp(exponent, -30, 0), seconds);
    }
}
