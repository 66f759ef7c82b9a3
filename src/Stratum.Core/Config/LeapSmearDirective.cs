// LeapSmearDirective: "leapsmearinterval SECONDS" (ntpd 4.2.8 miscopt.html, built there with
// --enable-leap-smear): the served time absorbs a leap second over the SECONDS before it instead of
// stepping. 0 turns it off; ntpd recommends 7200 to 86400 and warns never to smear on a public server,
// since its clients then disagree with everyone else's UTC by up to a second. Accepted here from 0 to
// 31 days (a smear must fit in the month that announces it); one line only.
namespace Stratum.Core.Config;

internal static class LeapSmearDirective
{
    /// <summary>The longest smear: a month's announcement (LI) is the earliest a leap is known.</summary>
    public const int MaxIntervalSeconds = 31 * 86400;

    public static void Parse(DirectiveLine line, ConfigBuilder config)
    {
        if (line.TryTakeInteger(line.Directive, 0, MaxIntervalSeconds, out int seconds))
        {
            config.NoteSingleton(line);
            config.LeapSmearInterval = seconds;
        }

        line.ExpectEnd();
    }
}
