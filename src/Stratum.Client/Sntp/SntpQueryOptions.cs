// SntpQueryOptions: how many exchanges to make with each server, how long to wait for each reply,
// and which protocol version to send. Defaults are ntpdate 4.2.8's: 4 samples (1 with -q), a 2 s
// timeout (never below 1 s, so requests to one server stay at least a second apart and within
// ntpd's default "discard minimum"), version 4, no authentication. With a key, ntpdate -e's
// authentication delay is added to T1 of each request (ntpdate's sys_authdelay).
namespace Stratum.Client.Sntp;

/// <summary>Query parameters: samples per server, per-request timeout and NTP version.</summary>
public sealed record SntpQueryOptions
{
    public const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>Exchanges per server, 1..8 (ntpdate -p).</summary>
    public int Samples { get; init; } = 4;

    /// <summary>
    /// How long to wait for a reply before sending the next request, and the gap after a reply
    /// before the next request to the same server (ntpdate -t; default 2 s).
    /// </summary>
    public long TimeoutNanoseconds { get; init; } = 2 * NanosecondsPerSecond;

    /// <summary>NTP version in requests, 1..4 (ntpdate -o).</summary>
    public byte Version { get; init; } = 4;

    /// <summary>ntpdate -a: requests carry a MAC by this key, and only replies signed by it count.</summary>
    public Stratum.Core.Auth.SymmetricKey? Key { get; init; }

    /// <summary>
    /// ntpdate -e, in units of 2^-32 s (below 1 s): with a <see cref="Key"/>, added to T1 of each
    /// request, so T1 stands for the moment the request leaves after its MAC is computed (ntpdate
    /// 4.2.8's transmit(): the clock reading plus sys_authdelay). Unused without a key.
    /// </summary>
    public uint AuthenticationDelayFraction { get; init; }

    /// <summary>Throws when a value is outside its range; the tools validate user input first.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Samples, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Samples, SampleFilter.MaxSamples);
        ArgumentOutOfRangeException.ThrowIfLessThan(TimeoutNanoseconds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Version, (byte)1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Version, (byte)4);
    }
}
