// NtpdEnvironment: what ntpd takes from its surroundings (default config path, process id, signal
// registration, a hook to see the running host, the name resolver, the read-only kernel discipline
// state for ntpq kerninfo), so tests can run the daemon in-process on an ephemeral port, resolve
// names without DNS, see a fixed kernel state (or none) and stop it without signals.
using Stratum.Platform.Hosting;
using Stratum.Platform.Loop;

namespace Stratum.Tools.Ntpd;

internal sealed record NtpdEnvironment(
    string DefaultConfigPath,
    int ProcessId,
    Func<ShutdownSignals> RegisterSignals,
    Action<DaemonHost, ShutdownSignals>? OnRunning = null,
    bool AllowDaemonize = true,
    Func<string, System.Net.IPAddress[]>? Resolve = null,
    Func<Stratum.Engine.Control.KernelLoopState?>? ReadKernelLoop = null)
{
    public static NtpdEnvironment System() =>
        new("/etc/ntp.conf", Environment.ProcessId, ShutdownSignals.Register, ReadKernelLoop: Stratum.Platform.Clock.LinuxClockDriver.ReadKernelLoop);
}
