// RateLimitDirectives: "discard [average N] [minimum N] [monitor N]" and "mru [maxdepth N]
// [maxmem KB] [mindepth N] [maxage S] [initalloc N] [initmem KB] [incalloc N] [incmem KB]"
// (ntpd 4.2.8 accopt.html). Only the syntax lives here; rate limiting is the Engine's.
namespace Stratum.Core.Config;

/// <summary>Parsers of the discard and mru directives.</summary>
internal static class RateLimitDirectives
{
    public static void Discard(DirectiveLine line, ConfigBuilder config)
    {
        if (!line.RequireOptions())
        {
            return;
        }

        while (line.TryTake(out ConfigToken option))
        {
            DiscardOptions discard = config.Discard;
            int value;
            switch (option.Text)
            {
                case "average":
                    if (line.TryTakeInteger(option, 0, PollLimits.Max, out value))
                    {
                        config.Discard = discard with { AverageLog2Seconds = value };
                    }

                    break;
                case "minimum":
                    if (line.TryTakeInteger(option, 0, 3600, out value))
                    {
                        config.Discard = discard with { MinimumSeconds = value };
                    }

                    break;
                case "monitor":
                    if (line.TryTakeInteger(option, 0, int.MaxValue, out value))
                    {
                        config.Discard = discard with { Monitor = value };
                    }

                    break;
                default:
                    line.ReportUnknownOption(option);
                    break;
            }
        }
    }

    public static void Mru(DirectiveLine line, ConfigBuilder config)
    {
        if (!line.RequireOptions())
        {
            return;
        }

        while (line.TryTake(out ConfigToken option))
        {
            if (!IsMruOption(option.Text))
            {
                line.ReportUnknownOption(option);
            }
            else if (line.TryTakeInteger(option, 0, int.MaxValue, out int value))
            {
                config.Mru = WithMruValue(config.Mru, option.Text, value);
            }
        }
    }

    private static bool IsMruOption(string option) =>
        option is "maxdepth" or "maxmem" or "mindepth" or "maxage"
            or "initalloc" or "initmem" or "incalloc" or "incmem";

    private static MruOptions WithMruValue(MruOptions mru, string option, int value) => option switch
    {
        "maxdepth" => mru with { MaxDepth = value },
        "maxmem" => mru with { MaxMemoryKib = value },
        "mindepth" => mru with { MinDepth = value },
        "maxage" => mru with { MaxAgeSeconds = value },
        "initalloc" => mru with { InitialAllocation = value },
        "initmem" => mru with { InitialMemoryKib = value },
        "incalloc" => mru with { IncrementAllocation = value },
        _ => mru with { IncrementMemoryKib = value },
    };
}
