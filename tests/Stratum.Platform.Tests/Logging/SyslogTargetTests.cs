// SyslogTarget, where ntpd logs when neither -n nor -l (nor logfile) is given: RFC 3164 messages
// with facility daemon and the severity of each level, the day of month space-padded, and one
// datagram per line on the syslog socket (a private socket here, never /dev/log).
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Stratum.Platform.Logging;

namespace Stratum.Platform.Tests.Logging;

public sealed class SyslogTargetTests
{
    [Theory]
    [InlineData(LogLevel.Critical, 26)]
    [InlineData(LogLevel.Error, 27)]
    [InlineData(LogLevel.Warning, 28)]
    [InlineData(LogLevel.Information, 29)]
    [InlineData(LogLevel.Debug, 31)]
    public void FormatMessage_FacilityDaemonAndSeverity(LogLevel level, int priority)
    {
        var time = new DateTime(2025, 11, 23, 10, 40, 0, DateTimeKind.Local);

        string message = SyslogTarget.FormatMessage(time, level, "ntpd", 4242, "synchronized to LOCAL(0), stratum 10");

        Assert.Equal($"<{priority}>Nov 23 10:40:00 ntpd[4242]: synchronized to LOCAL(0), stratum 10", message);
    }

    [Fact]
    public void FormatMessage_SingleDigitDay_IsSpacePadded()
    {
        var time = new DateTime(2026, 3, 3, 7, 5, 9, DateTimeKind.Local);

        string message = SyslogTarget.FormatMessage(time, LogLevel.Information, "ntpd", 7, "ntpd exiting on signal 15 (Terminated)");

        Assert.Equal("<29>Mar  3 07:05:09 ntpd[7]: ntpd exiting on signal 15 (Terminated)", message);
    }

    [Fact]
    public void Write_SendsOneDatagramPerEntryToTheSocket()
    {
        string directory = Directory.CreateTempSubdirectory("stratum-syslog-").FullName;
        try
        {
            string path = Path.Combine(directory, "log");
            using var syslog = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { ReceiveTimeout = 2000 };
            syslog.Bind(new UnixDomainSocketEndPoint(path));
            long stamp = new DateTimeOffset(2025, 11, 23, 10, 40, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;
            DateTime local = DateTime.UnixEpoch.AddTicks(stamp / 100).ToLocalTime();

            using (var target = new SyslogTarget(path))
            {
                target.Write(new LogEntry(stamp, LogLevel.Warning, "no servers reachable"), "ntpd", 4242);
                target.Write(new LogEntry(stamp, LogLevel.Information, "Listen normally on 0 lo 127.0.0.1:123"), "ntpd", 4242);
            }

            var buffer = new byte[1024];
            string first = Encoding.UTF8.GetString(buffer, 0, syslog.Receive(buffer));
            string second = Encoding.UTF8.GetString(buffer, 0, syslog.Receive(buffer));
            Assert.Equal(SyslogTarget.FormatMessage(local, LogLevel.Warning, "ntpd", 4242, "no servers reachable"), first);
            Assert.StartsWith("<28>Nov ", first, StringComparison.Ordinal);
            Assert.EndsWith(" ntpd[4242]: no servers reachable", first, StringComparison.Ordinal);
            Assert.StartsWith("<29>", second, StringComparison.Ordinal);
            Assert.EndsWith(" ntpd[4242]: Listen normally on 0 lo 127.0.0.1:123", second, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Write_NoSyslogDaemon_DropsTheLineWithoutThrowing()
    {
        using var target = new SyslogTarget(Path.Combine(Path.GetTempPath(), $"stratum-no-syslog-{Guid.NewGuid():N}"));

        target.Write(new LogEntry(0, LogLevel.Error, "cannot bind"), "ntpd", 1);
    }
}
