// RestrictTarget: what a restrict line applies to (ntpd 4.2.8 accopt.html, "restrict address
// [mask mask] [flag ...]", "restrict default", "restrict source").
namespace Stratum.Core.Config;

/// <summary>The subject of a restrict rule.</summary>
public enum RestrictTarget
{
    /// <summary><c>restrict [-4|-6] default</c>: every address of the family (mask 0).</summary>
    Default,

    /// <summary><c>restrict ADDRESS [mask MASK]</c>: an address or a network.</summary>
    Address,

    /// <summary><c>restrict source</c>: the template for addresses of configured associations.</summary>
    Source,
}
