// SystemOptions: the switches of "enable" and "disable" (ntpd 4.2.8 miscopt.html, "enable
// [auth | bclient | calibrate | kernel | mode7 | monitor | ntp | stats | ...]"). Defaults are
// ntpd's. "disable ntp" keeps ntpd's meaning: serve the clock, never discipline it.
namespace Stratum.Core.Config;

/// <summary>System flags set by enable/disable.</summary>
public sealed record SystemOptions
{
    /// <summary>ntpd's defaults: auth, kernel, monitor, ntp, stats and the four early-unpeer flags on.</summary>
    public static SystemOptions Default { get; } = new();

    /// <summary><c>auth</c>: symmetric peers and broadcast need authentication (default on).</summary>
    public bool Authentication { get; init; } = true;

    /// <summary><c>bclient</c>: accept broadcast servers (default off; also set by broadcastclient and multicastclient).</summary>
    public bool BroadcastClient { get; init; }

    /// <summary><c>calibrate</c>: calibrate reference clock fudge time1 (default off).</summary>
    public bool Calibrate { get; init; }

    /// <summary><c>kernel</c>: use the kernel PLL discipline when available (default on).</summary>
    public bool KernelDiscipline { get; init; } = true;

    /// <summary><c>mode7</c>: answer ntpdc's mode 7 requests (default off).</summary>
    public bool Mode7 { get; init; }

    /// <summary><c>monitor</c>: keep the MRU list of clients (default on).</summary>
    public bool Monitoring { get; init; } = true;

    /// <summary><c>ntp</c>: discipline the clock; off means observe and serve only (default on).</summary>
    public bool ClockDiscipline { get; init; } = true;

    /// <summary><c>stats</c>: write the statistics files (default on).</summary>
    public bool Statistics { get; init; } = true;

    /// <summary><c>pps</c>: kernel PPS discipline (default off).</summary>
    public bool Pps { get; init; }

    /// <summary><c>peer_clear_digest_early</c> (default on).</summary>
    public bool PeerClearDigestEarly { get; init; } = true;

    /// <summary><c>unpeer_crypto_early</c> (default on).</summary>
    public bool UnpeerCryptoEarly { get; init; } = true;

    /// <summary><c>unpeer_crypto_nak_early</c> (default on).</summary>
    public bool UnpeerCryptoNakEarly { get; init; } = true;

    /// <summary><c>unpeer_digest_early</c> (default on).</summary>
    public bool UnpeerDigestEarly { get; init; } = true;
}
