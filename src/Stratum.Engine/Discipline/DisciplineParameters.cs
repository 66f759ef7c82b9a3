// DisciplineParameters: the `tinker` knobs and command-line switches that steer the clock discipline of
// RFC 5905 §11.3 (step, stepout, panic, -g, -x, minpoll/maxpoll, ±500 ppm) plus the two noise figures of
// our loop filter. Defaults are ntpd 4.2.8's.
namespace Stratum.Engine.Discipline;

/// <summary>Clock discipline settings.</summary>
/// <remarks>RFC 5905 A.1.1 / A.5.5.6: STEPT (0.128 s), WATCH (stepout), PANICT (1000 s), MAXFREQ (500 ppm),
/// PGATE (4), LIMIT (30), AVG (4); ntpd's <c>tinker step stepout panic</c>, <c>-g</c>, <c>-x</c>.</remarks>
/// <param name="StepThreshold">tinker step, seconds; 0 never steps (stepback and stepfwd override it per direction).</param>
/// <param name="StepoutSeconds">tinker stepout: seconds since the last valid update after which a big offset
/// is stepped. 300 s as ntpd 4.2.8 (its clock state machine page: "stepout threshold, by default 300 s");
/// RFC 5905's WATCH is 900 s, which <c>tinker stepout 900</c> restores.</param>
/// <param name="PanicThreshold">tinker panic, seconds; 0 disables the panic check.</param>
/// <param name="AllowFirstPanicStep">ntpd -g: the first offset may exceed the panic threshold.</param>
/// <param name="SlewOnly">ntpd -x: the step threshold becomes 600 s.</param>
/// <param name="MinPoll">Lowest system poll exponent (log2 s).</param>
/// <param name="MaxPoll">Highest system poll exponent (log2 s).</param>
/// <param name="MaxFrequency">Frequency clamp, s/s (500e-6).</param>
/// <param name="PrecisionSeconds">Clock precision: floor of the jitter and measurement noise, seconds.</param>
/// <param name="FrequencyWander">Assumed random-walk frequency noise of the oscillator, (s/s)/√s.</param>
public sealed record DisciplineParameters(
    double StepThreshold = 0.128,
    double StepoutSeconds = 300,
    double PanicThreshold = 1000,
    bool AllowFirstPanicStep = false,
    bool SlewOnly = false,
    int MinPoll = 6,
    int MaxPoll = 10,
    double MaxFrequency = 500e-6,
    double PrecisionSeconds = 1e-6,
    double FrequencyWander = 1e-9)
{
    /// <summary>ntpd -x: "slew only" raises the step threshold to this, seconds.</summary>
    public const double SlewOnlyStepThreshold = 600;

    /// <summary>Defaults (ntpd 4.2.8's).</summary>
    public static DisciplineParameters Default { get; } = new();

    /// <summary>tinker stepback: the step threshold for a clock ahead (a backward step), seconds; null: tinker step.</summary>
    public double? StepBackThreshold { get; init; }

    /// <summary>tinker stepfwd: the step threshold for a clock behind (a forward step), seconds; null: tinker step.</summary>
    public double? StepForwardThreshold { get; init; }

    /// <summary>The step threshold in force (600 s with -x).</summary>
    public double EffectiveStepThreshold => SlewOnly ? Math.Max(StepThreshold, SlewOnlyStepThreshold) : StepThreshold;

    /// <summary>The step threshold in force for <paramref name="offset"/>'s direction (positive: our clock is
    /// behind, a forward step): tinker stepfwd or stepback when given, else step; 600 s at least with -x; 0 never steps.</summary>
    public double StepThresholdFor(double offset)
    {
        double threshold = (offset < 0 ? StepBackThreshold : StepForwardThreshold) ?? StepThreshold;
        return SlewOnly && threshold > 0 ? Math.Max(threshold, SlewOnlyStepThreshold) : threshold;
    }
}
