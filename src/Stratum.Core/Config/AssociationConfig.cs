// AssociationConfig: one server, pool, peer, broadcast or manycastclient line (ntp.conf(5)
// "Configuration Commands", ntpd 4.2.8 "Server Commands and Options"). Reference clocks (127.127.T.U)
// are modeled apart as RefClockConfig. Options that Stratum does not implement (preempt, autokey) are
// warned about and not kept here.
namespace Stratum.Core.Config;

/// <summary>A configured association to a remote NTP server, pool or symmetric peer.</summary>
/// <param name="Kind">The directive: server, pool or peer.</param>
/// <param name="Address">An IPv4/IPv6 literal or a DNS host name, as written.</param>
/// <param name="Family">-4/-6 as given, or the literal's family.</param>
/// <param name="Iburst"><c>iburst</c>: a burst of packets while unreachable, for a quick start.</param>
/// <param name="Burst"><c>burst</c>: a burst of packets at each poll while reachable.</param>
/// <param name="Prefer"><c>prefer</c>: the preferred peer of the selection.</param>
/// <param name="NoSelect"><c>noselect</c>: polled and shown, never selected.</param>
/// <param name="True"><c>true</c>: always survives the intersection (falseticker) algorithm.</param>
/// <param name="MinPoll"><c>minpoll</c>: log2 of the shortest poll interval in seconds (3..17, default 6).</param>
/// <param name="MaxPoll"><c>maxpoll</c>: log2 of the longest poll interval in seconds (3..17, default 10).</param>
/// <param name="Version"><c>version</c>: the NTP version sent (1..4, default 4).</param>
/// <param name="KeyId"><c>key</c>: symmetric key id (1..65535) for MACs, or null for none.</param>
/// <param name="Line">Line of the directive in its file, for messages.</param>
public sealed record AssociationConfig(
    AssociationKind Kind,
    string Address,
    AddressFamilyHint Family,
    bool Iburst,
    bool Burst,
    bool Prefer,
    bool NoSelect,
    bool True,
    sbyte MinPoll,
    sbyte MaxPoll,
    byte Version,
    uint? KeyId,
    int Line)
{
    /// <summary>ntpd's default minpoll: 2^6 = 64 s.</summary>
    public const sbyte DefaultMinPoll = 6;

    /// <summary>ntpd's default maxpoll: 2^10 = 1024 s.</summary>
    public const sbyte DefaultMaxPoll = 10;

    /// <summary>The NTP version sent unless <c>version</c> says otherwise.</summary>
    public const byte DefaultVersion = 4;

    /// <summary><c>xleave</c>: ask the server for the interleaved mode (RFC 9769), whose transmit timestamps
    /// are the kernel's stamps of earlier replies.</summary>
    public bool Xleave { get; init; }

    /// <summary><c>ttl</c> of a broadcast or manycastclient line: the IP time-to-live of multicast packets
    /// (ntpd's default 127 for multicast; a broadcast stays on its link whatever it says).</summary>
    public byte? Ttl { get; init; }

    /// <summary><c>nts</c>: Network Time Security (RFC 8915) for this server: a key exchange, then NTS-protected packets.</summary>
    public bool Nts { get; init; }

    /// <summary><c>ca FILE|DIR</c>: the CA certificates the key exchange trusts for this server, or null for the system's.</summary>
    public string? NtsCa { get; init; }

    /// <summary><c>noval</c>: the key exchange accepts any certificate (testing only).</summary>
    public bool NtsNoValidation { get; init; }

    /// <summary><c>aead NAME</c>: the only AEAD to offer (RFC 5116 number), or null for all.</summary>
    public ushort? NtsAead { get; init; }

    /// <summary>The multicast time-to-live when <c>ttl</c> is not given.</summary>
    public const byte DefaultMulticastTtl = 127;
}
