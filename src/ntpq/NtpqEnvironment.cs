// NtpqEnvironment: what ntpq takes from its surroundings, injectable so tests run it in-process:
// the server port (123; tests point it at a daemon on an ephemeral port; not a command-line
// option), the transport factory, the clocks (realtime for the `when` column, monotonic for
// timeouts) and the time zone prettydate uses.
using System.Diagnostics;
using Stratum.Client.Sntp;
using Stratum.Client.Transport;

namespace Stratum.Tools.Ntpq;

/// <summary>ntpq's port, sockets, clocks and time zone.</summary>
internal sealed record NtpqEnvironment(int Port, Func<TransportOpenRequest, SntpClock, TransportOpenResult> OpenTransport, SntpClock Clock,
    TimeZoneInfo Zone)
{
    /// <summary>Where interactive mode reads commands (stdin in ntpq).</summary>
    public TextReader Input { get; init; } = TextReader.Null;

    public static NtpqEnvironment Default { get; } = new(
        UdpNtpTransport.NtpPort,
        UdpNtpTransport.Open,
        new SntpClock(
            () => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100,
            () => (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency))),
        TimeZoneInfo.Local) { Input = Console.In };
}
