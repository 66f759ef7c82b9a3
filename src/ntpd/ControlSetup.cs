// ControlSetup: hands the control protocols (mode 6 and 7) what the config says about them: the
// enable/disable flags ntpdc sysinfo reports, `enable mode7`, and the restrict lines ntpq reslist
// lists (with ntpd's flag words).
using System.Net;
using Stratum.Core.Config;
using Stratum.Engine.Control;

namespace Stratum.Tools.Ntpd;

internal static class ControlSetup
{
    private static readonly (RestrictFlags Flag, string Word)[] s_words =
    [
        (RestrictFlags.NtpPort, "ntpport"), (RestrictFlags.Ignore, "ignore"), (RestrictFlags.NoServe, "noserve"),
        (RestrictFlags.NoTrust, "notrust"), (RestrictFlags.NoQuery, "noquery"), (RestrictFlags.NoModify, "nomodify"),
        (RestrictFlags.NoPeer, "nopeer"), (RestrictFlags.NoTrap, "notrap"), (RestrictFlags.LowPriorityTrap, "lptrap"),
        (RestrictFlags.Limited, "limited"), (RestrictFlags.Version, "version"), (RestrictFlags.Kod, "kod"),
    ];

    public static void Apply(NtpConfig config, ControlHostState host)
    {
        host.Mode7Enabled = config.System.Mode7;
        host.Ntp = config.System.ClockDiscipline;
        host.Kernel = config.System.KernelDiscipline;
        host.Statistics = config.System.Statistics;
        host.Authenticate = config.System.Authentication;
        host.Monitor = Stratum.Engine.Access.AccessSettings.MonitorWanted(config.System.Monitoring, config.Restrictions);
        foreach (RestrictRule rule in config.Restrictions)
        {
            AddRestriction(rule, host);
        }
    }

    /// <summary>Lists one restrict line for ntpq reslist (a plain default line once per family).</summary>
    public static void AddRestriction(RestrictRule rule, ControlHostState host)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(host);
        if (rule.Target == RestrictTarget.Default)
        {
            if (rule.Family != AddressFamilyHint.IPv6)
            {
                host.Restrictions.Add(new ControlRestriction(IPAddress.Any, IPAddress.Any, Words(rule.Flags)));
            }

            if (rule.Family != AddressFamilyHint.IPv4)
            {
                host.Restrictions.Add(new ControlRestriction(IPAddress.IPv6Any, IPAddress.IPv6Any, Words(rule.Flags)));
            }
        }
        else if (rule is { Address: not null, Mask: not null })
        {
            host.Restrictions.Add(new ControlRestriction(rule.Address, rule.Mask, Words(rule.Flags)));
        }
    }

    private static string Words(RestrictFlags flags)
    {
        var words = new List<string>();
        foreach ((RestrictFlags flag, string word) in s_words)
        {
            if ((flags & flag) != 0)
            {
                words.Add(word);
            }
        }

        return string.Join(' ', words);
    }
}
