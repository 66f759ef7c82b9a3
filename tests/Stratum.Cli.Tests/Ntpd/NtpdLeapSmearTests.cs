// Leap smear on the published daemon: `leapsmearinterval 7200` with a leap file announcing an inserted
// second at 2027-01-01 00:00:00 UTC, the local clock as source, and a virtual clock set to one hour before
// that leap (observe-only, no CAP_SYS_TIME; 127.0.0.27, port 123). Half-way through the smear, a client
// must be served time half a second behind the daemon's clock, with no leap warning and refid 254.224.0.0
// (-0.5 s in ntpd's encoding), and ntpq shows leapsmearinterval and leapsmearoffset. Skips without
// dist/ntpd or root (fails when CI=true).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Stratum.Core.Time;
using Stratum.Core.Wire;

namespace Stratum.Cli.Tests.Ntpd;

public sealed class NtpdLeapSmearTests : IDisposable
{
    private const string Address = "127.0.0.27";
    private static readonly DateTime s_leap = new(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly string _directory = Directory.CreateTempSubdirectory("stratum-ntpd-smear-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void HalfWayThroughTheSmear_ClientsAreServedHalfASecondBehind_WithoutALeapWarning()
    {
        string ntpd = PublishedNtpd.Locate();
        PublishedNtpd.RequireRoot();

        // The virtual clock: one hour before the leap, so half of a two-hour smear has passed.
        double offset = (s_leap.AddHours(-1) - DateTime.UtcNow).TotalSeconds;
        string leapFile = Path.Combine(_directory, "leap-seconds.list");
        long ntpLeap = (long)(s_leap - new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds;
        File.WriteAllText(leapFile, $"""
            #$	3913697848
            #@	4102444800
            3692217600	37	# 1 Jan 2017
            {ntpLeap}	38	# 1 Jan 2027
            """ + "\n");
        string config = Path.Combine(_directory, "ntp.conf");
        File.WriteAllText(config, $"""
            disable ntp
            server 127.127.1.0
            fudge 127.127.1.0 stratum 1
            leapfile {leapFile}
            leapsmearinterval 7200
            interface ignore all
            interface listen {Address}
            """ + "\n");
        using Process daemon = PublishedNtpd.StartWithoutClockControl(ntpd, config, Path.Combine(_directory, "ntpd.log"),
            ["--virtual-clock", offset.ToString("0.000", CultureInfo.InvariantCulture)]);
        try
        {
            Assert.True(PublishedNtpd.WaitUntilServing(new IPEndPoint(IPAddress.Parse(Address), 123), TimeSpan.FromSeconds(20)), Log());
            NtpHeader reply = default;
            double served = double.NaN;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                (reply, served) = Query();
                if (reply.Stratum == 2)
                {
                    break;
                }

                Thread.Sleep(500);
            }

            // served − (our clock + the virtual offset): the smear's offset, about −0.5 s (it moves 0.2 ms/s here).
            double smear = served - offset;
            Assert.Equal(2, reply.Stratum);
            Assert.True(Math.Abs(smear + 0.5) < 0.02, $"served {smear:0.000000} s from the daemon's clock\n{Log()}");
            Assert.Equal(LeapIndicator.NoWarning, reply.Leap);
            Assert.Equal(254u, reply.ReferenceId.Value >> 24);
            Assert.InRange(reply.ReferenceId.Value & 0xFFFFFF, 0xDF0000u, 0xE10000u);

            string ntpq = Path.Combine(Path.GetDirectoryName(ntpd)!, "ntpq");
            var query = new ProcessStartInfo(ntpq, ["-c", "rv 0 leap,leapsmearinterval,leapsmearoffset", Address])
            {
                UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            using Process process = Process.Start(query) ?? throw new InvalidOperationException("cannot start ntpq");
            string variables = process.StandardOutput.ReadToEnd();
            process.WaitForExit(TimeSpan.FromSeconds(10));
            Assert.Contains("leap=01", variables, StringComparison.Ordinal);
            Assert.Contains("leapsmearinterval=7200", variables, StringComparison.Ordinal);
            string shown = variables[(variables.IndexOf("leapsmearoffset=", StringComparison.Ordinal) + "leapsmearoffset=".Length)..]
                .Split([',', '\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries)[0];
            Assert.InRange(double.Parse(shown, CultureInfo.InvariantCulture), -520.0, -480.0);
        }
        finally
        {
            if (!daemon.HasExited)
            {
                daemon.Kill();
                daemon.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
    }

    // One mode 3 request; the reply's header and its receive timestamp minus our clock at that moment
    // (midway between send and receive), seconds.
    private static (NtpHeader Reply, double Served) Query()
    {
        using var client = new UdpClient(AddressFamily.InterNetwork);
        client.Client.ReceiveTimeout = 2000;
        var request = new byte[48];
        request[0] = (4 << 3) | 3;
        long sent = DateTime.UtcNow.Ticks;
        client.Send(request, request.Length, new IPEndPoint(IPAddress.Parse(Address), 123));
        IPEndPoint? from = null;
        byte[] data = client.Receive(ref from);
        long received = DateTime.UtcNow.Ticks;
        NtpHeader header = NtpHeader.Read(data);
        long midUnixNanoseconds = (((sent + received) / 2) - DateTime.UnixEpoch.Ticks) * 100;
        return (header, (header.ReceiveTime - NtpTimestamp.FromUnixNanoseconds(midUnixNanoseconds)).TotalSeconds);
    }

    private string Log()
    {
        string path = Path.Combine(_directory, "ntpd.log");
        return File.Exists(path) ? File.ReadAllText(path) : "(no log)";
    }
}
