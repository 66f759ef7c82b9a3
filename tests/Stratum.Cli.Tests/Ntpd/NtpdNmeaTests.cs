// The NMEA reference clock on the published daemon: /dev/gps9 is made a link to a pseudo-terminal
// whose other side this test writes $GPRMC sentences to, once a second, each saying the time at which
// it is written — a receiver with its sentence 50 ms after the second, which `fudge time2 0.050`
// takes back. ntpd (observe-only, no CAP_SYS_TIME, 127.0.0.31) must reach the clock, select it and
// show it as GPS_NMEA(9) with refid .GPS., stratum 0, and an offset under 10 ms; it then serves
// stratum 1. The link is removed afterwards. Skips without dist/ntpd or root (fails when CI=true).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Stratum.Platform.Refclock;

namespace Stratum.Cli.Tests.Ntpd;

public sealed class NtpdNmeaTests : IDisposable
{
    private const string Address = "127.0.0.31";
    private const string Device = "/dev/gps9";

    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-ntpd-nmea-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ARmcReceiverOnASerialLine_IsSelected_AsGpsNmea()
    {
        string ntpd = PublishedNtpd.Locate();
        PublishedNtpd.RequireRoot("to bind port 123 and link /dev/gps9");

        Assert.False(File.Exists(Device) || Directory.Exists(Device), $"{Device} exists already; not touching it");
        using PseudoTerminal line = PseudoTerminal.Open();
        File.CreateSymbolicLink(Device, line.SlavePath);
        using var stop = new CancellationTokenSource();
        Process? daemon = null;
        try
        {
            string config = Path.Combine(_directory, "ntp.conf");
            File.WriteAllText(config, $"""
                disable ntp
                server 127.127.20.9 mode 1 minpoll 4 maxpoll 4 prefer
                fudge 127.127.20.9 time2 0.050 refid GPS
                interface ignore all
                interface listen {Address}
                """ + "\n");
            var receiver = new Thread(() => Transmit(line, stop.Token)) { IsBackground = true };
            receiver.Start();
            daemon = PublishedNtpd.StartWithoutClockControl(ntpd, config, Path.Combine(_directory, "ntpd.log"));
            Assert.True(PublishedNtpd.WaitUntilServing(new IPEndPoint(IPAddress.Parse(Address), 123), TimeSpan.FromSeconds(20)), Log());
            string table = string.Empty;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(40))
            {
                Thread.Sleep(1000);
                table = Ntpq(ntpd, "-pn");
                if (table.Contains("*127.127.20.9", StringComparison.Ordinal))
                {
                    break;
                }
            }

            string named = Ntpq(ntpd, "-p");
            string row = named.Split('\n').FirstOrDefault(l => l.Contains("GPS_NMEA(9)", StringComparison.Ordinal)) ?? string.Empty;
            Assert.True(row.StartsWith('*'), $"{named}\n{table}\n{Log()}");
            string[] columns = row[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(".GPS.", columns[1]);
            Assert.Equal("0", columns[2]);
            double offsetMs = double.Parse(columns[8], CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(offsetMs) < 10, $"offset {offsetMs} ms\n{named}");
            Assert.Contains("stratum=1", Ntpq(ntpd, "-c", "rv 0 stratum"), StringComparison.Ordinal);
        }
        finally
        {
            stop.Cancel();
            if (daemon is { HasExited: false })
            {
                daemon.Kill();
                daemon.WaitForExit(TimeSpan.FromSeconds(10));
            }

            daemon?.Dispose();
            File.Delete(Device);
        }
    }

    // The receiver: an RMC sentence 50 ms after each second, saying the second it belongs to.
    private static void Transmit(PseudoTerminal line, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            DateTime now = DateTime.UtcNow;
            DateTime second = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
            DateTime due = second.AddMilliseconds(1050);
            Thread.Sleep(Math.Max(0, (int)(due - DateTime.UtcNow).TotalMilliseconds));
            try
            {
                line.Write(Sentence(second.AddSeconds(1)));
            }
            catch (IOException)
            {
                return;
            }
        }
    }

    private static string Sentence(DateTime utc)
    {
        string body = FormattableString.Invariant($"GPRMC,{utc:HHmmss.ff},A,4916.45,N,12311.12,W,000.5,054.7,{utc:ddMMyy},020.3,E");
        int sum = 0;
        foreach (char c in body)
        {
            sum ^= c;
        }

        return FormattableString.Invariant($"${body}*{sum:X2}\r\n");
    }

    private static string Ntpq(string ntpd, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(Path.GetDirectoryName(ntpd)!, "ntpq")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(Address);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start ntpq");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit(TimeSpan.FromSeconds(10));
        return output;
    }

    private string Log()
    {
        string path = Path.Combine(_directory, "ntpd.log");
        return File.Exists(path) ? File.ReadAllText(path) : "(no log)";
    }
}
