// TinkerDirective: "tinker [allan S] [dispersion PPM] [freq PPM] [huffpuff S] [panic S] [step S]
// [stepback S] [stepfwd S] [stepout S] [tick S]" (ntpd 4.2.8 miscopt.html). dispersion and freq
// are written in PPM and stored in s/s. Values must be finite and not negative (freq: ±500 PPM,
// the kernel's limit); ntpd does no checks at all.
namespace Stratum.Core.Config;

/// <summary>Parser of the tinker directive.</summary>
internal static class TinkerDirective
{
    private const double MaxSeconds = 1e9;
    private const double MaxFrequencyPpm = 500;
    private const double MaxDispersionPpm = 1000;
    private const double SecondsPerSecondPerPpm = 1e-6;

    public static void Parse(DirectiveLine line, ConfigBuilder config)
    {
        if (!line.RequireOptions())
        {
            return;
        }

        while (line.TryTake(out ConfigToken option))
        {
            ParseOption(line, config, option);
        }
    }

    private static void ParseOption(DirectiveLine line, ConfigBuilder config, ConfigToken option)
    {
        TinkerOptions tinker = config.Tinker;
        double value;
        switch (option.Text)
        {
            case "freq":
                if (line.TryTakeNumber(option, -MaxFrequencyPpm, MaxFrequencyPpm, out value))
                {
                    config.Tinker = tinker with { Frequency = value * SecondsPerSecondPerPpm };
                }

                return;
            case "dispersion":
                if (line.TryTakeNumber(option, 0, MaxDispersionPpm, out value))
                {
                    config.Tinker = tinker with { DispersionRate = value * SecondsPerSecondPerPpm };
                }

                return;
            case "allan" or "huffpuff" or "panic" or "step" or "stepback" or "stepfwd" or "stepout" or "tick":
                if (line.TryTakeNumber(option, 0, MaxSeconds, out value))
                {
                    config.Tinker = WithSeconds(tinker, option.Text, value);
                }

                return;
            default:
                line.ReportUnknownOption(option);
                return;
        }
    }

    private static TinkerOptions WithSeconds(TinkerOptions tinker, string option, double seconds) => option switch
    {
        "allan" => tinker with { AllanIntercept = seconds },
        "huffpuff" => tinker with { HuffPuffWindow = seconds },
        "panic" => tinker with { PanicThreshold = seconds },
        "step" => tinker with { StepThreshold = seconds },
        "stepback" => tinker with { StepBackThreshold = seconds },
        "stepfwd" => tinker with { StepForwardThreshold = seconds },
        "stepout" => tinker with { StepOutInterval = seconds },
        _ => tinker with { Tick = seconds },
    };
}
