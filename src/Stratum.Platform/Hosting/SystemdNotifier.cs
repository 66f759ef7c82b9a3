// SystemdNotifier: the daemon's side of systemd's notification protocol (sd_notify(3), for a unit
// with Type=notify), written here rather than linked: one datagram per message to the AF_UNIX socket
// named by $NOTIFY_SOCKET (a path, or an abstract name written with a leading '@'). ntpd sends
// READY=1 once its sockets are bound and it serves, STATUS= lines an administrator sees in
// `systemctl status` (the system peer and its stratum, or that there is none), STOPPING=1 on the way
// out, and WATCHDOG=1 every half of $WATCHDOG_USEC from the event loop itself (so a hung loop is
// noticed), when $WATCHDOG_PID is unset or names this process. Without $NOTIFY_SOCKET nothing is
// created and every call does nothing. A failed send is ignored: the notifications are advisory.
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Stratum.Platform.Hosting;

/// <summary>sd_notify for ntpd: readiness, status, stopping, watchdog.</summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket _socket;
    private readonly long _watchdogIntervalNanoseconds;
    private long _nextWatchdogMono;

    private SystemdNotifier(Socket socket, long watchdogIntervalNanoseconds)
    {
        _socket = socket;
        _watchdogIntervalNanoseconds = watchdogIntervalNanoseconds;
    }

    /// <summary>Messages sent (tests, diagnostics).</summary>
    public int Sent { get; private set; }

    /// <summary>True when systemd asked for watchdog pings.</summary>
    public bool WatchdogEnabled => _watchdogIntervalNanoseconds > 0;

    /// <summary>The notifier for this process's environment, or null when $NOTIFY_SOCKET is unset or unusable.</summary>
    public static SystemdNotifier? FromEnvironment(Func<string, string?> environment, int processId)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? path = environment("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path) || (path[0] != '/' && path[0] != '@'))
        {
            return null;
        }

        long watchdog = 0;
        if (long.TryParse(environment("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out long microseconds) && microseconds > 0
            && (environment("WATCHDOG_PID") is not { Length: > 0 } pid || pid == processId.ToString(CultureInfo.InvariantCulture)))
        {
            // Pinged twice per interval, as sd_watchdog_enabled(3) advises.
            watchdog = microseconds * 1000 / 2;
        }

        try
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            var target = new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path);
            // Connected now, as root and before any chroot: later sends need no path lookup.
            socket.Connect(target);
            return new SystemdNotifier(socket, watchdog);
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>READY=1 with a first STATUS line.</summary>
    public void Ready(string status) => Send($"READY=1\nSTATUS={status}");

    public void Status(string status) => Send($"STATUS={status}");

    public void Stopping() => Send("STOPPING=1");

    /// <summary>Sends WATCHDOG=1 when due; returns when the next one is (monotonic ns), long.MaxValue without a watchdog.</summary>
    public long OnTimer(long nowMono)
    {
        if (!WatchdogEnabled)
        {
            return long.MaxValue;
        }

        if (nowMono >= _nextWatchdogMono)
        {
            Send("WATCHDOG=1");
            _nextWatchdogMono = nowMono + _watchdogIntervalNanoseconds;
        }

        return _nextWatchdogMono;
    }

    private void Send(string message)
    {
        try
        {
            _socket.Send(Encoding.UTF8.GetBytes(message));
            Sent++;
        }
        catch (SocketException)
        {
        }
    }

    public void Dispose() => _socket.Dispose();
}
