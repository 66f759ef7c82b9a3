// KeyIdLimits: the symmetric key ids ntpd 4.2.8 accepts (1 .. NTP_MAXKEY 65535) for key,
// trustedkey, controlkey and requestkey.
namespace Stratum.Core.Config;

/// <summary>Range of configurable key ids.</summary>
internal static class KeyIdLimits
{
    public const int Min = 1;

    public const int Max = 65535;
}
