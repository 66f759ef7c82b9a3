// ShutdownSignals: SIGTERM/SIGINT (stop) and SIGHUP (reload) as flags the event loop polls. The
// handlers run on the runtime's signal thread and only set flags (ARCHITECTURE.md §4).
using System.Runtime.InteropServices;

namespace Stratum.Platform.Loop;

/// <summary>Signal flags for the event loop.</summary>
public sealed class ShutdownSignals : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private volatile int _stopSignal;
    private volatile bool _reload;

    /// <summary>Registers TERM, INT, QUIT and HUP handlers.</summary>
    public static ShutdownSignals Register()
    {
        var signals = new ShutdownSignals();
        signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, signals.OnStop));
        signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, signals.OnStop));
        signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGQUIT, signals.OnStop));
        signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, signals.OnHangup));
        return signals;
    }

    /// <summary>The signal number that asked to stop (15, 2, 3), or 0.</summary>
    public int StopSignal => _stopSignal;

    /// <summary>Asks the loop to stop as if by <paramref name="signal"/> (tests, fatal paths).</summary>
    public void RequestStop(int signal) => _stopSignal = signal;

    /// <summary>Returns and clears a pending reload request.</summary>
    public bool TakeReload()
    {
        bool reload = _reload;
        _reload = false;
        return reload;
    }

    private void OnStop(PosixSignalContext context)
    {
        context.Cancel = true;
        _stopSignal = context.Signal switch
        {
            PosixSignal.SIGINT => 2,
            PosixSignal.SIGQUIT => 3,
            _ => 15,
        };
    }

    private void OnHangup(PosixSignalContext context)
    {
        context.Cancel = true;
        _reload = true;
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
