// TestDaemon: our ntpd run in-process on a thread, on an ephemeral loopback port, with a given
// ntp.conf, fixed identity strings (version, processor, system) and `disable ntp`, for the ntpq
// and ntpdc golden tests. The constructor returns once the daemon has synchronized to its local
// clock (the known state); Dispose stops it with a TERM request and waits for the thread.
using System.Net;
using System.Net.Sockets;
using Stratum.Engine.Control;
using Stratum.Platform.Hosting;
using Stratum.Platform.Loop;
using Stratum.Tools.Ntpd;

namespace Stratum.Cli.Tests.Ntpq;

internal sealed class TestDaemon : IDisposable
{
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _started = new();
    private readonly ManualResetEventSlim _synchronized = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-golden-").FullName;
    private ShutdownSignals? _signals;

    /// <param name="kernel">What the daemon reads as the kernel discipline's state (none by default).</param>
    /// <param name="resolve">The daemon's host name resolver (the system's by default).</param>
    public TestDaemon(string config, Func<KernelLoopState?>? kernel = null, Func<string, IPAddress[]>? resolve = null)
    {
        Port = FreePort();
        string path = Path.Combine(_directory, "ntp.conf");
        File.WriteAllText(path, config);
        _thread = new Thread(() =>
        {
            var environment = new NtpdEnvironment("/nonexistent", 4242, () => new ShutdownSignals(), (host, signals) =>
            {
                Host = host;
                host.Engine.Control.Identity = new ControlIdentity(ControlIdentity.DefaultVersion, "x86_64", "Linux/6.1.0");
                host.Synchronized += () => _synchronized.Set();
                _signals = signals;
                _started.Set();
            }, AllowDaemonize: false, ReadKernelLoop: kernel, Resolve: resolve);
            NtpdCli.Run(["-n", "-c", path, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)], TextWriter.Null, TextWriter.Null, environment);
            _started.Set();
        });
        _thread.Start();
        if (!_started.Wait(TimeSpan.FromSeconds(20)) || !_synchronized.Wait(TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException("test daemon did not start and synchronize to its local clock");
        }
    }

    /// <summary>The default configuration of the golden tests: one local clock at stratum 10 on 127.0.0.1.</summary>
    public const string LocalClockConfig = """
        server 127.127.1.0
        fudge 127.127.1.0 stratum 10
        disable ntp
        interface ignore wildcard
        interface listen 127.0.0.1
        restrict default kod nomodify notrap nopeer noquery
        restrict 127.0.0.1
        """;

    /// <summary>ntpq commands that sign requests with <see cref="WithControlKey"/>'s key (ifstats and
    /// reslist are answered only to the controlkey).</summary>
    public static readonly string[] ControlKeyCommands = ["keyid 1", "passwd secretpw"];

    /// <summary><paramref name="config"/> plus a keys file holding key 1 (MD5 "secretpw") as the trusted
    /// controlkey.</summary>
    public static string WithControlKey(string config)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"stratum-test-keys-{Environment.ProcessId}");
        string keys = Path.Combine(directory, "ntp.keys");
        lock (KeysLock)
        {
            if (!File.Exists(keys))
            {
                Directory.CreateDirectory(directory);
                File.WriteAllText(keys, "1 MD5 secretpw\n");
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }
        }

        return $"{config}\nkeys {keys}\ntrustedkey 1\ncontrolkey 1\n";
    }

    private static readonly Lock KeysLock = new();

    public int Port { get; }

    public DaemonHost? Host { get; private set; }

    public void Dispose()
    {
        _signals?.RequestStop(15);
        _thread.Join(TimeSpan.FromSeconds(10));
        _started.Dispose();
        _synchronized.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
