// RestrictFlags: the access-control flags of ntpd 4.2.8's restrict command (accopt.html). The
// values are Stratum's own, not ntpd's RES_* bits: nothing puts them on the wire. Flags from
// later ntpd releases (noepeer, mssntp, serverresponse fuzz, ippeerlimit) are warned about and
// not kept.
namespace Stratum.Core.Config;

/// <summary>Access-control flags of a restrict rule.</summary>
[Flags]
public enum RestrictFlags
{
    /// <summary>No restriction.</summary>
    None = 0,

    /// <summary><c>ignore</c>: drop every packet.</summary>
    Ignore = 1 << 0,

    /// <summary><c>kod</c>: send a kiss-o'-death (RATE) when a <c>limited</c> client exceeds the rate.</summary>
    Kod = 1 << 1,

    /// <summary><c>limited</c>: apply the <c>discard</c> rate limits.</summary>
    Limited = 1 << 2,

    /// <summary><c>lowpriotrap</c>: traps set by these hosts are low priority.</summary>
    LowPriorityTrap = 1 << 3,

    /// <summary><c>nomodify</c>: deny mode 6 and 7 requests that change the server's state.</summary>
    NoModify = 1 << 4,

    /// <summary><c>noquery</c>: deny all mode 6 and 7 queries; time service is unaffected.</summary>
    NoQuery = 1 << 5,

    /// <summary><c>nopeer</c>: deny packets that would mobilize a symmetric association.</summary>
    NoPeer = 1 << 6,

    /// <summary><c>noserve</c>: deny time service; queries are still answered.</summary>
    NoServe = 1 << 7,

    /// <summary><c>notrap</c>: deny mode 6 trap service.</summary>
    NoTrap = 1 << 8,

    /// <summary><c>notrust</c>: deny unauthenticated packets.</summary>
    NoTrust = 1 << 9,

    /// <summary><c>ntpport</c>: match only when the source port is 123.</summary>
    NtpPort = 1 << 10,

    /// <summary><c>version</c>: deny packets that do not match the current NTP version.</summary>
    Version = 1 << 11,

    /// <summary><c>nomrulist</c>: deny the mode 6 MRU list query.</summary>
    NoMruList = 1 << 12,
}
