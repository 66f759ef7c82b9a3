// TosDirective: "tos [beacon N] [ceiling N] [cohort 0|1] [floor N] [maxclock N] [maxdist S]
// [minclock N] [mindist S] [minsane N] [orphan N] [orphanwait N] [bcpollbstep N]" (ntpd 4.2.8
// miscopt.html). Ranges: ceiling 1..16, floor 0..15, orphan 1..16, cohort 0|1, bcpollbstep 0..4
// (ntp_config.c config_tos); minsane, minclock and maxclock 1..100, beacon and orphanwait up to a
// day, mindist 0..16 s and maxdist 0.001..16 s are Stratum's sanity bounds.
// Deviation: ntpd clamps out-of-range values with a warning; Stratum reports them as errors so
// a typo never runs. The cross-checks (minsane < minclock <= maxclock, floor <= ceiling) run once
// the whole file is read.
namespace Stratum.Core.Config;

/// <summary>Parser of the tos directive.</summary>
internal static class TosDirective
{
    private const int MaxClockCount = 100;
    private const int MaxSeconds = 86400;

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
        TosOptions tos = config.Tos;
        int value;
        double seconds;
        switch (option.Text)
        {
            case "beacon":
                if (line.TryTakeInteger(option, 1, MaxSeconds, out value))
                {
                    config.Tos = tos with { BeaconInterval = value };
                }

                break;
            case "ceiling":
                if (line.TryTakeInteger(option, 1, 16, out value))
                {
                    config.Tos = tos with { Ceiling = value };
                    config.TosStratumPosition = line.PositionOf(option);
                }

                break;
            case "cohort":
                if (line.TryTakeBoolean(option, out bool cohort))
                {
                    config.Tos = tos with { Cohort = cohort };
                }

                break;
            case "floor":
                if (line.TryTakeInteger(option, 0, 15, out value))
                {
                    config.Tos = tos with { Floor = value };
                    config.TosStratumPosition = line.PositionOf(option);
                }

                break;
            case "maxclock":
                if (line.TryTakeInteger(option, 1, MaxClockCount, out value))
                {
                    config.Tos = tos with { MaxClock = value };
                    config.TosClockCountPosition = line.PositionOf(option);
                }

                break;
            case "minclock":
                if (line.TryTakeInteger(option, 1, MaxClockCount, out value))
                {
                    config.Tos = tos with { MinClock = value };
                    config.TosClockCountPosition = line.PositionOf(option);
                }

                break;
            case "minsane":
                if (line.TryTakeInteger(option, 1, MaxClockCount, out value))
                {
                    config.Tos = tos with { MinSane = value };
                    config.TosClockCountPosition = line.PositionOf(option);
                }

                break;
            case "maxdist":
                if (line.TryTakeNumber(option, 0.001, 16, out seconds))
                {
                    config.Tos = tos with { MaxDistance = seconds };
                }

                break;
            case "mindist":
                if (line.TryTakeNumber(option, 0, 16, out seconds))
                {
                    config.Tos = tos with { MinDistance = seconds };
                }

                break;
            case "orphan":
                if (line.TryTakeInteger(option, 1, 16, out value))
                {
                    config.Tos = tos with { OrphanStratum = value };
                }

                break;
            case "orphanwait":
                if (line.TryTakeInteger(option, 0, MaxSeconds, out value))
                {
                    config.Tos = tos with { OrphanWait = value };
                }

                break;
            case "bcpollbstep":
                if (line.TryTakeInteger(option, 0, 4, out value))
                {
                    config.Tos = tos with { BroadcastPollBackoffStep = value };
                }

                break;
            case "basedate":
                line.TryTake(out _);
                line.Warning(option, UnsupportedFeature.NotImplemented("option", option.Text));
                break;
            default:
                line.ReportUnknownOption(option);
                break;
        }
    }
}
