// ShutdownSignals: SIGTERM, SIGINT, SIGQUIT (stop) and SIGHUP (reload) as flags for the event loop.
// .NET runs the callbacks on threads of its own, so they only set flags (ARCHITECTURE.md §4), and the
// same signal interrupts the loop's poll(). A stop that landed while the loop was busy finds it
// waiting later: the callback then sends the signal to the loop thread (tgkill). SIGINT and SIGQUIT
// inherited as ignored (a shell's background job) get the runtime's handler, since ntpd installs its
// own whatever it inherited. With --server-threads (never simulated) every loop's flags carry an
// eventfd: RequestStop writes it, so the main loop stops the extra loops at once, and Wake writes
// it, so an extra loop wakes the main loop when it hands over a datagram; the loop reads it empty
// when poll() reports it (EventLoop) and then calls its handler's OnWakeup.
using System.Runtime.InteropServices;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Loop;

/// <summary>Signal flags for the event loop.</summary>
public sealed class ShutdownSignals : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private volatile int _stopSignal;
    private volatile bool _reload;
    private int _wakeFd = -1;
    private int _waitingThread;

    /// <summary>Registers TERM, INT, QUIT and HUP handlers, also for INT and QUIT inherited as ignored.</summary>
    public static ShutdownSignals Register()
    {
        var signals = new ShutdownSignals();
        signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, signals.OnStop));
        signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, signals.OnStop));
        signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGQUIT, signals.OnStop));
        signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, signals.OnHangup));
        HandleInheritedIgnores();
        return signals;
    }

    /// <summary>A flag whose <see cref="RequestStop"/> also wakes the loop through an eventfd (the extra
    /// server loops). Without an eventfd (the call failed) the loop sees the flag within its 1 s cap.</summary>
    internal static ShutdownSignals WithWakeup() =>
        new() { _wakeFd = EventFdCalls.EventFd(0, EventFdCalls.EFD_CLOEXEC | EventFdCalls.EFD_NONBLOCK) };

    /// <summary>Gives this flag an eventfd, if it has none, for <see cref="Wake"/> and a prompt
    /// <see cref="RequestStop"/> (the main loop with --server-threads); call before the loop runs.
    /// False when the call failed: the loop then sees handed-over work within its 1 s cap.</summary>
    internal bool EnableWakeup()
    {
        if (_wakeFd < 0)
        {
            _wakeFd = EventFdCalls.EventFd(0, EventFdCalls.EFD_CLOEXEC | EventFdCalls.EFD_NONBLOCK);
        }

        return _wakeFd >= 0;
    }

    /// <summary>The eventfd the loop polls beside its sockets, or -1.</summary>
    internal int WakeFd => _wakeFd;

    /// <summary>Wakes the loop from poll() (any thread); its handler's OnWakeup runs. Nothing without an eventfd.</summary>
    internal unsafe void Wake()
    {
        if (_wakeFd >= 0)
        {
            ulong one = 1;
            _ = EventFdCalls.Write(_wakeFd, &one, sizeof(ulong));
        }
    }

    /// <summary>Loop thread: empties the eventfd after poll() reported it, so the next poll() waits again.</summary>
    internal unsafe void TakeWakeup()
    {
        if (_wakeFd >= 0)
        {
            ulong count;
            _ = EventFdCalls.Read(_wakeFd, &count, sizeof(ulong));
        }
    }

    /// <summary>The signal number that asked to stop (15, 2, 3), or 0.</summary>
    public int StopSignal => _stopSignal;

    /// <summary>Asks the loop to stop as if by <paramref name="signal"/> (tests, fatal paths, the main
    /// loop stopping the server loops); wakes the loop when this flag has an eventfd.</summary>
    public void RequestStop(int signal)
    {
        _stopSignal = signal;
        Wake();
    }

    /// <summary>Loop thread: about to wait in poll() with its normal timeout. A full fence, so that
    /// either the loop's next look at <see cref="StopSignal"/> sees a stop, or the stop callback sees
    /// the loop waiting and interrupts it.</summary>
    internal void EnterWait(int threadId) => Interlocked.Exchange(ref _waitingThread, threadId);

    /// <summary>Loop thread: back from poll().</summary>
    internal void LeaveWait() => Volatile.Write(ref _waitingThread, 0);

    /// <summary>Returns and clears a pending reload request.</summary>
    public bool TakeReload()
    {
        bool reload = _reload;
        _reload = false;
        return reload;
    }

    /// <summary>SIGINT and SIGQUIT found ignored get the runtime's handler as installed for SIGTERM.
    /// The runtime keeps an inherited SIG_IGN for these two (a handler would not survive exec, and
    /// children it starts would lose the ignore) and records that when it first sets up signals,
    /// which ntpd's Main does by touching Console; it never installs its handler for them after
    /// that, so resetting them to SIG_DFL before registering would make SIGINT kill the daemon
    /// without its orderly exit (status 130, no log line).</summary>
    private static unsafe void HandleInheritedIgnores()
    {
        SignalAction runtime;
        if (SignalActionCall.SigAction(SignalActionCall.SIGTERM, null, &runtime) != 0
            || runtime.Handler is SignalActionCall.DefaultHandler or SignalActionCall.IgnoreHandler)
        {
            return;
        }

        foreach (int signal in (ReadOnlySpan<int>)[SignalActionCall.SIGINT, SignalActionCall.SIGQUIT])
        {
            SignalAction current;
            if (SignalActionCall.SigAction(signal, null, &current) == 0 && current.Handler == SignalActionCall.IgnoreHandler)
            {
                _ = SignalActionCall.SigAction(signal, &runtime, null);
            }
        }
    }

    private void OnStop(PosixSignalContext context)
    {
        context.Cancel = true;
        int signal = context.Signal switch
        {
            PosixSignal.SIGINT => SignalActionCall.SIGINT,
            PosixSignal.SIGQUIT => SignalActionCall.SIGQUIT,
            _ => SignalActionCall.SIGTERM,
        };
        _stopSignal = signal;
        Interlocked.MemoryBarrier();
        int waiting = Volatile.Read(ref _waitingThread);
        if (waiting != 0)
        {
            // The loop waits although the signal was sent: it came while the loop was busy. The
            // same signal, sent to the loop thread, interrupts the wait (EINTR); its callback comes
            // here again and stops once the loop no longer waits.
            _ = ThreadSignalCalls.TgKill(Environment.ProcessId, waiting, signal);
        }
    }

    private void OnHangup(PosixSignalContext context)
    {
        context.Cancel = true;
        _reload = true;
    }

    /// <summary>Removes the handlers and closes the eventfd; call it once no thread can still
    /// <see cref="RequestStop"/> or poll this flag.</summary>
    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        if (_wakeFd >= 0)
        {
            _ = SocketCalls.Close(_wakeFd);
            _wakeFd = -1;
        }
    }
}
