// RecordingSyslog: an ISystemLog that keeps what ntpdate -s sent.
using Stratum.Tools.Ntpdate;

namespace Stratum.Cli.Tests.Ntpdate;

/// <summary>Syslog messages ntpdate -s sent.</summary>
internal sealed class RecordingSyslog : ISystemLog
{
    public List<(SyslogSeverity Severity, string Message)> Messages { get; } = [];

    public void Write(SyslogSeverity severity, string message) => Messages.Add((severity, message));
}
