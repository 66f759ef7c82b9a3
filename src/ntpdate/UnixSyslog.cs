// UnixSyslog: sends ntpdate -s messages to the local syslog daemon over the /dev/log datagram
// socket, in the RFC 3164 form glibc's syslog(3) uses: "<PRI>Mmm dd hh:mm:ss ntpdate[pid]: text",
// facility LOG_NTP (12), as ntpdate 4.2.8's openlog("ntpdate", LOG_PID | LOG_NDELAY, LOG_NTP).
// Deviation: when /dev/log cannot be reached (a container without a syslog daemon) the message goes
// to stderr with the terminal prefix instead of vanishing.
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Stratum.Tools.Ntpdate;

/// <summary>syslog(3) over /dev/log, with stderr as the fallback.</summary>
internal sealed class UnixSyslog : ISystemLog
{
    private const int FacilityNtp = 12;
    private const string SocketPath = "/dev/log";

    private readonly int _processId;
    private readonly Func<DateTime> _localNow;
    private readonly TextWriter _fallback;

    public UnixSyslog(int processId, Func<DateTime> localNow, TextWriter fallback)
    {
        _processId = processId;
        _localNow = localNow;
        _fallback = fallback;
    }

    public void Write(SyslogSeverity severity, string message)
    {
        DateTime now = _localNow();
        string stamp = now.ToString("MMM ", CultureInfo.InvariantCulture)
            + now.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
            + now.ToString(" HH:mm:ss", CultureInfo.InvariantCulture);
        string line = $"<{(FacilityNtp * 8) + (int)severity}>{stamp} ntpdate[{_processId}]: {message}";
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
            socket.Send(Encoding.UTF8.GetBytes(line));
        }
        catch (SocketException)
        {
            _fallback.WriteLine($"{NtpdateLog.HumanLogTime(now)} ntpdate[{_processId}]: {message}");
        }
    }
}
