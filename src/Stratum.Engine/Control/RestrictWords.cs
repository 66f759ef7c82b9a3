// RestrictWords: a restrict entry's flags as ntpd 4.2.8 words them in reslist's flags.N
// (ntp_control.c send_restrict_entry: the match words, then the access words, each in libntp's
// table order, separated by spaces): "ntpport", "interface", "source"; then "ignore", "noserve",
// "notrust", "noquery", "nomodify", "nopeer", "notrap", "lptrap", "limited", "version", "kod".
// An entry without flags has an empty string. Flags ntpd 4.2.8 does not word (nomrulist) are left
// out. Display only: allocates.
using Stratum.Core.Config;
using Stratum.Engine.Access;

namespace Stratum.Engine.Control;

/// <summary>ntpd's flag words for one restrict entry.</summary>
internal static class RestrictWords
{
    private static readonly (RestrictFlags Flag, string Word)[] s_access =
    [
        (RestrictFlags.Ignore, "ignore"), (RestrictFlags.NoServe, "noserve"), (RestrictFlags.NoTrust, "notrust"),
        (RestrictFlags.NoQuery, "noquery"), (RestrictFlags.NoModify, "nomodify"), (RestrictFlags.NoPeer, "nopeer"),
        (RestrictFlags.NoTrap, "notrap"), (RestrictFlags.LowPriorityTrap, "lptrap"), (RestrictFlags.Limited, "limited"),
        (RestrictFlags.Version, "version"), (RestrictFlags.Kod, "kod"),
    ];

    /// <summary>"ntpport interface ignore", "noquery nomodify nopeer notrap kod", "" …</summary>
    public static string Of(RestrictEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var words = new List<string>();
        if (entry.NtpPortOnly)
        {
            words.Add("ntpport");
        }

        if (entry.Origin == RestrictOrigin.Interface)
        {
            words.Add("interface");
        }

        if (entry.Origin == RestrictOrigin.Source)
        {
            words.Add("source");
        }

        foreach ((RestrictFlags flag, string word) in s_access)
        {
            if ((entry.Flags & flag) != 0)
            {
                words.Add(word);
            }
        }

        return string.Join(' ', words);
    }
}
