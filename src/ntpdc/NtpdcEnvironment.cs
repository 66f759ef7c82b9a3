// NtpdcEnvironment: what ntpdc takes from its surroundings, injectable so tests run it in-process:
// the server port (123; tests point it at a daemon on an ephemeral port), the transport factory,
// the clocks, the time zone prettydate uses, stdin for interactive mode, and how long the first
// mode 7 request may wait before ntpdc assumes the server does not speak mode 7.
using System.Diagnostics;
using Stratum.Client.Sntp;
using Stratum.Client.Transport;

namespace Stratum.Tools.Ntpdc;

/// <summary>ntpdc's port, sockets, clocks, time zone and input.</summary>
internal sealed record NtpdcEnvironment(int Port, Func<TransportOpenRequest, SntpClock, TransportOpenResult> OpenTransport, SntpClock Clock,
    TimeZoneInfo Zone)
{
    public TextReader Input { get; init; } = TextReader.Null;

    /// <summary>Wait for the first mode 7 answer before falling back to mode 6 (nanoseconds).</summary>
    public long Mode7ProbeTimeoutNanoseconds { get; init; } = 1_000_000_000;

    public static NtpdcEnvironment Default { get; } = new(
        UdpNtpTransport.NtpPort,
        UdpNtpTransport.Open,
        new SntpClock(
            () => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100,
            () => (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency))),
        TimeZoneInfo.Local) { Input = Console.In };
}
