// ISystemLog: where ntpdate -s sends its messages instead of the terminal (ntpdate 4.2.8 opens
// syslog as "ntpdate" with LOG_PID, facility LOG_NTP). UnixSyslog writes to /dev/log; tests record.
namespace Stratum.Tools.Ntpdate;

/// <summary>syslog(3) severities ntpdate uses.</summary>
internal enum SyslogSeverity
{
    Error = 3,
    Notice = 5,
    Info = 6,
    Debug = 7,
}

/// <summary>A sink for syslog messages.</summary>
internal interface ISystemLog
{
    void Write(SyslogSeverity severity, string message);
}
