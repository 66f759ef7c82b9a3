// StatisticsDirectives: "statistics NAME ..." and "filegen NAME [file F] [type T] [link|nolink]
// [enable|disable]" (ntpd 4.2.8 monopt.html). As in ntpd, a filegen line enables its set unless
// it says disable; several filegen lines for one set merge.
namespace Stratum.Core.Config;

/// <summary>Parsers of the statistics and filegen directives.</summary>
internal static class StatisticsDirectives
{
    public static void Statistics(DirectiveLine line, ConfigBuilder config)
    {
        if (!line.RequireOptions("at least one statistics name"))
        {
            return;
        }

        while (line.TryTake(out ConfigToken name))
        {
            if (TryParseName(line, name, out StatisticsKind kind))
            {
                config.AddStatistics(kind);
            }
        }
    }

    public static void Filegen(DirectiveLine line, ConfigBuilder config)
    {
        if (!line.TryTakeArgument("a statistics name", out ConfigToken name))
        {
            return;
        }

        if (!TryParseName(line, name, out StatisticsKind kind))
        {
            line.SkipRest();
            return;
        }

        string? fileName = null;
        FilegenType? type = null;
        bool? link = null;
        bool enabled = true;
        while (line.TryTake(out ConfigToken option))
        {
            switch (option.Text)
            {
                case "file":
                    if (line.TryTake(out ConfigToken file) && file.Text.Length > 0)
                    {
                        fileName = file.Text;
                    }
                    else
                    {
                        line.Error(option, "'file' needs a file name");
                    }

                    break;
                case "type":
                    type = ParseType(line, option) ?? type;
                    break;
                case "link" or "nolink":
                    link = option.Text == "link";
                    break;
                case "enable" or "disable":
                    enabled = option.Text == "enable";
                    break;
                default:
                    line.ReportUnknownOption(option);
                    break;
            }
        }

        config.MergeFilegen(kind, fileName, type, link, enabled, line.LineNumber);
    }

    private static bool TryParseName(DirectiveLine line, ConfigToken name, out StatisticsKind kind)
    {
        if (StatisticsNames.TryParse(name.Text, out kind))
        {
            return true;
        }

        if (StatisticsNames.IsNotImplemented(name.Text))
        {
            line.Warning(name, UnsupportedFeature.NotImplemented("statistics", name.Text));
        }
        else
        {
            line.Error(name, $"unknown statistics name {DiagnosticText.Quote(name.Text)}");
        }

        return false;
    }

    private static FilegenType? ParseType(DirectiveLine line, ConfigToken option)
    {
        const string Expected = "'type' needs none, pid, day, week, month, year or age";
        if (!line.TryTake(out ConfigToken value))
        {
            line.Error(option, Expected);
            return null;
        }

        FilegenType? type = value.Text switch
        {
            "none" => FilegenType.None,
            "pid" => FilegenType.Pid,
            "day" => FilegenType.Day,
            "week" => FilegenType.Week,
            "month" => FilegenType.Month,
            "year" => FilegenType.Year,
            "age" => FilegenType.Age,
            _ => null,
        };
        if (type is null)
        {
            line.Error(value, $"{Expected}, not {DiagnosticText.Quote(value.Text)}");
        }

        return type;
    }
}
