// ntpdate entry point: wires the real clock (LinuxClockDriver), UDP sockets, DNS, syslog and local
// time into NtpdateCli, which holds all behaviour so tests can run it in-process with fakes.
using Stratum.Client.Sntp;
using Stratum.Client.Transport;
using Stratum.Platform.Clock;

namespace Stratum.Tools.Ntpdate;

internal static class Program
{
    private static int Main(string[] args)
    {
        var clock = new LinuxClockDriver();
        var environment = new NtpdateEnvironment(
            clock,
            UdpNtpTransport.Open,
            SystemResolver.Resolve,
            Environment.ProcessId,
            TimeZoneInfo.Local,
            SntpQueryRunner.SecureRandomCookie,
            new UnixSyslog(Environment.ProcessId, () => DateTime.Now, Console.Error));
        return NtpdateCli.Run(args, Console.Out, Console.Error, environment);
    }
}
