// NtpdateEnvironment: everything ntpdate takes from its surroundings — the clock driver it reads and
// adjusts, the transport factory, the name resolver, the process id and time zone for the log
// prefix, the source of transmit cookies, the syslog sink and the server port — so tests run
// NtpdateCli in-process against an in-memory network and a fake clock. Program builds the real one.
using System.Net.Sockets;
using Stratum.Client.Sntp;
using Stratum.Client.Transport;
using Stratum.Platform.Clock;

namespace Stratum.Tools.Ntpdate;

/// <summary>ntpdate's ports to the outside world.</summary>
/// <param name="Clock">The clock read for T1/T4 and the log prefix, and stepped or slewed.</param>
/// <param name="OpenTransport">Opens the sockets (or an in-memory network in tests).</param>
/// <param name="Resolve">Resolves a server name for an address family (Unspecified: any).</param>
/// <param name="ProcessId">The pid printed as ntpdate[pid].</param>
/// <param name="TimeZone">Local time zone for log timestamps.</param>
/// <param name="RandomCookie">Transmit cookies (a CSPRNG in production).</param>
/// <param name="SystemLog">Where -s sends messages.</param>
/// <param name="ServerPort">Destination port, 123 except in loopback tests (not a command-line option).</param>
internal sealed record NtpdateEnvironment(
    IClockDriver Clock,
    Func<TransportOpenRequest, SntpClock, TransportOpenResult> OpenTransport,
    Func<string, AddressFamily, int, HostResolution> Resolve,
    int ProcessId,
    TimeZoneInfo TimeZone,
    Func<ulong> RandomCookie,
    ISystemLog SystemLog,
    int ServerPort = UdpNtpTransport.NtpPort);
