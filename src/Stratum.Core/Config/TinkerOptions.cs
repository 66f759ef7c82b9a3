// TinkerOptions: the "tinker" command (ntpd 4.2.8 miscopt.html "tinker [allan | dispersion |
// freq | huffpuff | panic | step | stepback | stepfwd | stepout | tick]"). Null means "not
// given: use the default". ntpd writes dispersion and freq in PPM; they are stored here as
// seconds per second, as every frequency in Stratum is.
namespace Stratum.Core.Config;

/// <summary>Clock discipline tuning from tinker lines; times in seconds, rates in s/s.</summary>
public sealed record TinkerOptions
{
    public static TinkerOptions Default { get; } = new();

    /// <summary><c>allan</c>: the Allan intercept, in seconds.</summary>
    public double? AllanIntercept { get; init; }

    /// <summary><c>dispersion</c>: dispersion growth rate, s/s (written in PPM).</summary>
    public double? DispersionRate { get; init; }

    /// <summary><c>freq</c>: initial frequency offset, s/s (written in PPM); overrides the drift file.</summary>
    public double? Frequency { get; init; }

    /// <summary><c>huffpuff</c>: the huff-n'-puff filter window, in seconds.</summary>
    public double? HuffPuffWindow { get; init; }

    /// <summary><c>panic</c>: the panic threshold, in seconds; 0 disables the panic exit.</summary>
    public double? PanicThreshold { get; init; }

    /// <summary><c>step</c>: the step threshold, in seconds; 0 never steps.</summary>
    public double? StepThreshold { get; init; }

    /// <summary><c>stepback</c>: the step threshold for backward steps, in seconds.</summary>
    public double? StepBackThreshold { get; init; }

    /// <summary><c>stepfwd</c>: the step threshold for forward steps, in seconds.</summary>
    public double? StepForwardThreshold { get; init; }

    /// <summary><c>stepout</c>: the stepout (spike) interval, in seconds.</summary>
    public double? StepOutInterval { get; init; }

    /// <summary><c>tick</c>: the kernel tick, in seconds.</summary>
    public double? Tick { get; init; }
}
