// NtpdateLog: ntpdate's msyslog(). Without -s a message goes to the terminal as
// "23 Nov 07:40:00 ntpdate[4242]: text" — errors to stderr, notices to stdout — with libntp's
// humanlogtime() stamp (day of month right-aligned in two columns, English month, local HH:MM:SS).
// With -s it goes to syslog instead, and with -s -d to both, as libntp does under debug.
// The stamp is read from the clock driver, so a message after a step shows the new time.
using System.Globalization;

namespace Stratum.Tools.Ntpdate;

/// <summary>Routes ntpdate's log messages to the terminal or syslog.</summary>
internal sealed class NtpdateLog
{
    private static readonly string[] s_months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;
    private readonly NtpdateEnvironment _environment;
    private readonly bool _toSyslog;
    private readonly bool _toTerminal;

    public NtpdateLog(TextWriter stdout, TextWriter stderr, NtpdateEnvironment environment, bool toSyslog, bool debug)
    {
        _stdout = stdout;
        _stderr = stderr;
        _environment = environment;
        _toSyslog = toSyslog;
        _toTerminal = !toSyslog || debug;
    }

    /// <summary>libntp humanlogtime(): "%2d %s %02d:%02d:%02d" in local time.</summary>
    public static string HumanLogTime(DateTime local) =>
        string.Create(CultureInfo.InvariantCulture, $"{local.Day,2} {s_months[local.Month - 1]} {local:HH:mm:ss}");

    /// <summary>The current local time according to the clock driver.</summary>
    public DateTime LocalNow()
    {
        long unixNanoseconds = _environment.Clock.ReadRealtimeNanoseconds();
        var utc = DateTimeOffset.FromUnixTimeMilliseconds(Math.DivRem(unixNanoseconds, 1_000_000, out long remainder) - (remainder < 0 ? 1 : 0));
        return TimeZoneInfo.ConvertTime(utc, _environment.TimeZone).DateTime;
    }

    public void Error(string message) => Write(SyslogSeverity.Error, message);

    public void Notice(string message) => Write(SyslogSeverity.Notice, message);

    private void Write(SyslogSeverity severity, string message)
    {
        if (_toSyslog)
        {
            _environment.SystemLog.Write(severity, message);
        }

        if (_toTerminal)
        {
            TextWriter writer = severity <= SyslogSeverity.Error ? _stderr : _stdout;
            writer.WriteLine($"{HumanLogTime(LocalNow())} ntpdate[{_environment.ProcessId}]: {message}");
        }
    }
}
