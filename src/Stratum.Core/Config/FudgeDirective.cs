// FudgeDirective: "fudge 127.127.T.U [stratum N] [time1 S] [time2 S] [refid ID] [flag1..flag4
// 0|1]" (ntpd 4.2.8 refclock.html "fudge"). Values merge into the clock declared by "server
// 127.127.T.U", before or after this line; ConfigBuilder warns when no such clock exists.
// Deviation: stratum is limited to 0..15 (ntpd takes 16, which only makes the clock unusable),
// and time1/time2 to ±86400 s so a typo cannot reach the discipline as an absurd offset.
namespace Stratum.Core.Config;

/// <summary>Parser of the fudge directive.</summary>
internal static class FudgeDirective
{
    private const double MaxOffsetSeconds = 86400;

    public static void Parse(DirectiveLine line, ConfigBuilder config)
    {
        if (!line.TryTakeArgument("a reference clock address 127.127.T.U", out ConfigToken addressToken))
        {
            return;
        }

        if (!AddressSyntax.TryParseRefClock(addressToken.Text, out byte driverType, out byte unit))
        {
            line.Error(
                addressToken,
                $"fudge needs a reference clock address 127.127.T.U, not {DiagnosticText.Quote(addressToken.Text)}");
            line.SkipRest();
            return;
        }

        if (!line.RequireOptions())
        {
            return;
        }

        RefClockFudge fudge = config.FudgeFor(driverType, unit, line.PositionOf(addressToken));
        while (line.TryTake(out ConfigToken option))
        {
            ParseOption(line, option, fudge);
        }
    }

    private static void ParseOption(DirectiveLine line, ConfigToken option, RefClockFudge fudge)
    {
        switch (option.Text)
        {
            case "stratum":
                if (line.TryTakeInteger(option, 0, 15, out int stratum))
                {
                    fudge.Stratum = (byte)stratum;
                }

                break;
            case "time1":
                if (line.TryTakeNumber(option, -MaxOffsetSeconds, MaxOffsetSeconds, out double time1))
                {
                    fudge.Time1 = time1;
                }

                break;
            case "time2":
                if (line.TryTakeNumber(option, -MaxOffsetSeconds, MaxOffsetSeconds, out double time2))
                {
                    fudge.Time2 = time2;
                }

                break;
            case "refid":
                ParseRefId(line, option, fudge);
                break;
            case "flag1" or "flag2" or "flag3" or "flag4":
                ParseFlag(line, option, fudge);
                break;
            case "minjitter" or "abbrev":
                line.TryTake(out _);
                line.Warning(option, UnsupportedFeature.NotImplemented("option", option.Text));
                break;
            default:
                line.ReportUnknownOption(option);
                break;
        }
    }

    /// <summary>refid: 1 to 4 printable ASCII characters (it becomes the 32-bit Reference ID).</summary>
    private static void ParseRefId(DirectiveLine line, ConfigToken option, RefClockFudge fudge)
    {
        const string Expected = "'refid' needs 1 to 4 ASCII characters";
        if (!line.TryTake(out ConfigToken value))
        {
            line.Error(option, Expected);
            return;
        }

        bool valid = value.Text.Length is >= 1 and <= 4;
        foreach (char c in value.Text)
        {
            valid &= c is >= '!' and <= '~';
        }

        if (valid)
        {
            fudge.RefId = value.Text;
        }
        else
        {
            line.Error(value, $"{Expected}, not {DiagnosticText.Quote(value.Text)}");
        }
    }

    private static void ParseFlag(DirectiveLine line, ConfigToken option, RefClockFudge fudge)
    {
        if (!line.TryTakeBoolean(option, out bool value))
        {
            return;
        }

        switch (option.Text)
        {
            case "flag1":
                fudge.Flag1 = value;
                break;
            case "flag2":
                fudge.Flag2 = value;
                break;
            case "flag3":
                fudge.Flag3 = value;
                break;
            default:
                fudge.Flag4 = value;
                break;
        }
    }
}
