// FileDirectives: the path directives of ntpd 4.2.8 (miscopt.html, monopt.html): driftfile,
// logfile, pidfile, statsdir, leapfile [checkhash|ignorehash], plus logconfig (kept as its raw
// words). Each path directive may appear once; a repeat is a warning and the last one wins.
// Deviation: ntpd takes a bare "driftfile" to mean "no drift file"; Stratum asks for the file
// name (leave the directive out instead), and the deprecated "driftfile FILE WANDER" form warns
// that the wander threshold is ignored.
using System.Globalization;

namespace Stratum.Core.Config;

/// <summary>Parsers of the file and logging directives.</summary>
internal static class FileDirectives
{
    public static void DriftFile(DirectiveLine line, ConfigBuilder config)
    {
        if (!TryTakePath(line, config, "a file name", out string path))
        {
            return;
        }

        if (!line.AtEnd && double.TryParse(line.Peek().Text, CultureInfo.InvariantCulture, out _))
        {
            line.TryTake(out ConfigToken wander);
            line.Warning(
                wander,
                $"the wander threshold {DiagnosticText.Quote(wander.Text)} of driftfile is deprecated and ignored");
        }

        line.ExpectEnd();
        config.DriftFile = path;
    }

    public static void LogFile(DirectiveLine line, ConfigBuilder config)
    {
        if (TryTakePath(line, config, "a file name", out string path))
        {
            line.ExpectEnd();
            config.LogFile = path;
        }
    }

    public static void PidFile(DirectiveLine line, ConfigBuilder config)
    {
        if (TryTakePath(line, config, "a file name", out string path))
        {
            line.ExpectEnd();
            config.PidFile = path;
        }
    }

    public static void StatsDirectory(DirectiveLine line, ConfigBuilder config)
    {
        if (TryTakePath(line, config, "a directory name", out string path))
        {
            line.ExpectEnd();
            config.StatsDirectory = path;
        }
    }

    public static void LeapFile(DirectiveLine line, ConfigBuilder config)
    {
        if (!TryTakePath(line, config, "a file name", out string path))
        {
            return;
        }

        bool checkHash = true;
        if (!line.AtEnd && line.Peek().Text is "checkhash" or "ignorehash")
        {
            line.TryTake(out ConfigToken hashOption);
            checkHash = hashOption.Text == "checkhash";
        }

        line.ExpectEnd();
        config.LeapFile = path;
        config.LeapFileCheckHash = checkHash;
    }

    /// <summary>logconfig: the words are kept as written ("=syncall", "+clockall", "-allevents").</summary>
    public static void LogConfig(DirectiveLine line, ConfigBuilder config)
    {
        if (!line.RequireOptions("at least one log class"))
        {
            return;
        }

        while (line.TryTake(out ConfigToken word))
        {
            config.LogConfig.Add(word.Text);
        }
    }

    private static bool TryTakePath(DirectiveLine line, ConfigBuilder config, string what, out string path)
    {
        if (!line.TryTakeArgument(what, out ConfigToken token))
        {
            line.SkipRest();
            path = "";
            return false;
        }

        config.NoteSingleton(line);
        path = token.Text;
        return true;
    }
}
