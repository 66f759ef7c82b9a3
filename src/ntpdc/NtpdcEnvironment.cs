// NtpdcEnvironment: what ntpdc takes from its surroundings, injectable so tests run it in-process:
// the server port (123; tests point it at a daemon on an ephemeral port), the transport factory,
// the clocks, the time zone prettydate uses, stdin for interactive mode, and how long the first
// mode 7 request may wait before ntpdc assumes the server does not speak mode 7, and the keys of a
// terminal for interactive line editing (ForConsole: only when stdin is a terminal).
using System.Diagnostics;
using Stratum.Client.Sntp;
using Stratum.Client.Terminal;
using Stratum.Client.Transport;

namespace Stratum.Tools.Ntpdc;

/// <summary>ntpdc's port, sockets, clocks, time zone and input.</summary>
internal sealed record NtpdcEnvironment(int Port, Func<TransportOpenRequest, SntpClock, TransportOpenResult> OpenTransport, SntpClock Clock,
    TimeZoneInfo Zone)
{
    public TextReader Input { get; init; } = TextReader.Null;

    /// <summary>Keys for the line editor when stdin is a terminal; null reads <see cref="Input"/> line by line.</summary>
    public IKeySource? Keys { get; init; }

    /// <summary>Wait for the first mode 7 answer before falling back to mode 6 (nanoseconds).</summary>
    public long Mode7ProbeTimeoutNanoseconds { get; init; } = 1_000_000_000;

    public static NtpdcEnvironment Default { get; } = new(
        UdpNtpTransport.NtpPort,
        UdpNtpTransport.Open,
        new SntpClock(
            () => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100,
            () => (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency))),
        TimeZoneInfo.Local) { Input = Console.In };

    /// <summary>What the ntpdc program runs with: <see cref="Default"/> plus the terminal's keys.</summary>
    public static NtpdcEnvironment ForConsole() => Default with { Keys = ConsoleKeySource.ForTerminal() };
}
