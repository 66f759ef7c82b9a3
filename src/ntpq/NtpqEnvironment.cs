// NtpqEnvironment: what ntpq takes from its surroundings, injectable so tests run it in-process:
// the server port (123; tests point it at a daemon on an ephemeral port; not a command-line
// option), the transport factory, the clocks (realtime for the `when` column, monotonic for
// timeouts), the time zone prettydate uses, where prompts for a key id or password read from, and
// the keys of a terminal for interactive line editing (ForConsole: only when stdin is a terminal;
// Default and the tests have none, so commands are read with ReadLine from Input).
using System.Diagnostics;
using Stratum.Client.Sntp;
using Stratum.Client.Terminal;
using Stratum.Client.Transport;

namespace Stratum.Tools.Ntpq;

/// <summary>ntpq's port, sockets, clocks and time zone.</summary>
internal sealed record NtpqEnvironment(int Port, Func<TransportOpenRequest, SntpClock, TransportOpenResult> OpenTransport, SntpClock Clock,
    TimeZoneInfo Zone)
{
    /// <summary>Where interactive mode reads commands (stdin in ntpq).</summary>
    public TextReader Input { get; init; } = TextReader.Null;

    /// <summary>Prints a prompt and reads a secret (ntpq's getpass: no echo on a terminal); null at end of input.</summary>
    public Func<string, string?> ReadSecret { get; init; } = _ => null;

    /// <summary>Keys for the line editor when stdin is a terminal; null reads <see cref="Input"/> line by line.</summary>
    public IKeySource? Keys { get; init; }

    /// <summary>What the ntpq program runs with: <see cref="Default"/> plus the terminal's keys.</summary>
    public static NtpqEnvironment ForConsole() => Default with { Keys = ConsoleKeySource.ForTerminal() };

    public static NtpqEnvironment Default { get; } = new(
        UdpNtpTransport.NtpPort,
        UdpNtpTransport.Open,
        new SntpClock(
            () => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100,
            () => (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency))),
        TimeZoneInfo.Local) { Input = Console.In, ReadSecret = ReadSecretFromConsole };

    private static string? ReadSecretFromConsole(string prompt)
    {
        Console.Error.Write(prompt);
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }

        var secret = new System.Text.StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return secret.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                secret.Length = Math.Max(0, secret.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }
    }
}
