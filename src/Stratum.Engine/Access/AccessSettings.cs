// AccessSettings: the access-control part of ntp.conf as the Engine uses it — the restrict lines,
// the discard limits, the MRU sizing and whether the MRU list is kept at all — translated by the
// host from the parsed config model. As in ntpd, `disable monitor` stops the list unless a restrict
// line asks for `limited`, whose rate accounting needs it; without the list, control queries are
// limited only by the server-wide query budget.
using Stratum.Core.Config;

namespace Stratum.Engine.Access;

/// <summary>Restrict rules, rate limits and MRU sizing.</summary>
public sealed record AccessSettings(IReadOnlyList<RestrictRule> Restrictions, RateLimitSettings RateLimits, MruSettings Mru)
{
    /// <summary>ntpd without restrict, discard or mru lines.</summary>
    public static AccessSettings Default { get; } = new([], RateLimitSettings.Default, MruSettings.Default);

    /// <summary>Whether the MRU list is kept (ntpq mrulist; rate limits; per-client query budgets).</summary>
    public bool Monitor { get; init; } = true;

    /// <summary>Mode 6 and 7 queries (ntpq, ntpdc) are answered to loopback sources only. Set for a
    /// configuration without any restrict line: ntpd 4.2.8 then answers anyone, and a 12-octet readvar
    /// draws about 400 octets (an amplifier for spoofed sources); a `restrict` line restores ntpd's
    /// behaviour, whatever it says.</summary>
    public bool QueriesFromLoopbackOnly { get; init; }

    /// <summary>The settings of a configuration: its restrict, discard and mru lines.</summary>
    public static AccessSettings From(IReadOnlyList<RestrictRule> restrictions, DiscardOptions discard, MruOptions mru, bool monitor = true) =>
        new(restrictions, RateLimitSettings.From(discard), MruSettings.From(mru, discard))
        {
            Monitor = MonitorWanted(monitor, restrictions),
            QueriesFromLoopbackOnly = restrictions.Count == 0,
        };

    /// <summary>`enable monitor`, or any `limited` restrict line (which needs the list).</summary>
    public static bool MonitorWanted(bool monitor, IReadOnlyList<RestrictRule> restrictions)
    {
        ArgumentNullException.ThrowIfNull(restrictions);
        return monitor || restrictions.Any(rule => (rule.Flags & RestrictFlags.Limited) != 0);
    }
}
