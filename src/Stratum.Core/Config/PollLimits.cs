// PollLimits: the minpoll/maxpoll range ntpd 4.2.8 accepts from ntp.conf (NTP_MINPOLL 3 ..
// NTP_MAXPOLL 17, log2 seconds), shared by association lines and the core time types.
using Stratum.Core.Time;

namespace Stratum.Core.Config;

/// <summary>Configurable poll exponent range.</summary>
internal static class PollLimits
{
    public const int Min = PollExponent.MinConfigurable;

    public const int Max = PollExponent.MaxConfigurable;
}
