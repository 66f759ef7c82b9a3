// InProcessNtpd: ntpd's Cli.Run on its own thread, as the daemon tests run it (no process, no
// fork, no signals): the constructor returns once the event loop is about to run or the daemon has
// exited (a start-up error, or -q done), with the host, a stop handle, the exit code and what it
// wrote to stdout and stderr. Every wait is bounded. Stdout and Stderr are read after it stops.
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Stratum.Platform.Hosting;
using Stratum.Platform.Loop;
using Stratum.Tools.Ntpd;

namespace Stratum.Cli.Tests.Ntpd;

internal sealed class InProcessNtpd : IDisposable
{
    /// <summary>ntpd's process id as the tests' environment reports it (log lines, pid file).</summary>
    public const int ProcessId = 4242;

    private readonly Thread _thread;
    private readonly ManualResetEventSlim _started = new();
    private ShutdownSignals? _signals;

    /// <summary>Runs <c>ntpd ARGS</c>; <paramref name="onRunning"/> sees the host on the loop thread before it runs.</summary>
    public InProcessNtpd(string[] args, Action<DaemonHost>? onRunning = null)
    {
        Arguments = args;
        _thread = new Thread(() =>
        {
            var environment = new NtpdEnvironment("/nonexistent", ProcessId, () => new ShutdownSignals(), (host, signals) =>
            {
                Host = host;
                _signals = signals;
                onRunning?.Invoke(host);
                _started.Set();
            }, AllowDaemonize: false);
            ExitCode = NtpdCli.Run(args, Stdout, Stderr, environment);
            _started.Set();
        });
        _thread.Start();
        Assert.True(_started.Wait(TimeSpan.FromSeconds(20)), "daemon did not start");
    }

    public IReadOnlyList<string> Arguments { get; }

    public StringWriter Stdout { get; } = new();

    public StringWriter Stderr { get; } = new();

    public DaemonHost? Host { get; private set; }

    public int? ExitCode { get; private set; }

    /// <summary>Runs <c>ntpd -n -c CONFIG --port PORT EXTRA...</c>.</summary>
    public static InProcessNtpd Start(string configPath, int port, params string[] extraArgs) =>
        new(["-n", "-c", configPath, "--port", port.ToString(CultureInfo.InvariantCulture), .. extraArgs]);

    /// <summary>A UDP port free on <paramref name="address"/> (127.0.0.1 when not given) a moment ago.</summary>
    public static int FreePort(IPAddress? address = null)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(address ?? IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>True when the daemon exited on its own within <paramref name="timeout"/>.</summary>
    public bool WaitForExit(TimeSpan timeout) => _thread.Join(timeout);

    /// <summary>Asks the loop to stop as SIGTERM would and waits (at most 10 s).</summary>
    public void Stop()
    {
        _signals?.RequestStop(15);
        Assert.True(_thread.Join(TimeSpan.FromSeconds(10)), "daemon did not stop");
    }

    public void Dispose()
    {
        if (_thread.IsAlive)
        {
            Stop();
        }

        _started.Dispose();
    }
}
