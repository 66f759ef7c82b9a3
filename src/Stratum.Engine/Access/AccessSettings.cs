// AccessSettings: the access-control part of ntp.conf as the Engine uses it — the restrict lines,
// the discard limits and the MRU sizing — translated by the host from the parsed config model.
using Stratum.Core.Config;

namespace Stratum.Engine.Access;

/// <summary>Restrict rules, rate limits and MRU sizing.</summary>
public sealed record AccessSettings(IReadOnlyList<RestrictRule> Restrictions, RateLimitSettings RateLimits, MruSettings Mru)
{
    /// <summary>ntpd without restrict, discard or mru lines.</summary>
    public static AccessSettings Default { get; } = new([], RateLimitSettings.Default, MruSettings.Default);

    public static AccessSettings From(IReadOnlyList<RestrictRule> restrictions, DiscardOptions discard, MruOptions mru) =>
        new(restrictions, RateLimitSettings.From(discard), MruSettings.From(mru, discard));
}
