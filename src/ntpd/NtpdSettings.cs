// NtpdSettings: the command line and the parsed config, merged into what one daemon run needs.
// AllowBigFirstStep (-g) and SlewOnly (-x) are carried for the clock discipline of the sync engine.
// IoBatch, TransmitStamping and ServerThreads (--io-batch, --tx-stamp, --server-threads)
// shape the server sockets' fast path. RunAs and JailDirectory (-u, -i) say whom the daemon becomes
// once its sockets are bound and its files open.
using Stratum.Core.Config;

namespace Stratum.Tools.Ntpd;

internal sealed record NtpdSettings(
    NtpConfig Config,
    string ConfigName,
    int DebugLevel,
    string? LogFile,
    string? PidFile,
    bool Foreground,
    bool QuitAfterSet,
    bool AllowBigFirstStep,
    bool SlewOnly,
    bool IPv4Only,
    bool IPv6Only,
    IReadOnlyList<string> Interfaces,
    int Port,
    VirtualClockArgument? VirtualClock,
    string CommandLine,
    IReadOnlyList<string> ConfigWarnings,
    int IoBatch = Stratum.Platform.Hosting.DaemonHost.DefaultIoBatch,
    Stratum.Platform.Net.TransmitStamping TransmitStamping = Stratum.Platform.Net.TransmitStamping.PerDatagram,
    int ServerThreads = 0,
    Stratum.Platform.Hosting.RunAsAccount? RunAs = null,
    string? JailDirectory = null);
