// ntpdate -q over real UDP sockets on loopback: a tiny responder on 127.0.0.1:<ephemeral port>
// answers each mode 3 request with a real mode 4 reply, and ntpdate (UdpNtpTransport, the system
// resolver, ObserveOnlyClockDriver so nothing could ever write the clock) prints the classic lines.
// The destination port comes from NtpdateEnvironment.ServerPort, a test-only override.
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Stratum.Client.Sntp;
using Stratum.Client.Transport;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Platform.Clock;
using Stratum.Tools.Ntpdate;

namespace Stratum.Cli.Tests.Ntpdate;

public sealed partial class NtpdateLoopbackTests : IDisposable
{
    private readonly Socket _responder = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _answered;

    public NtpdateLoopbackTests()
    {
        _responder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _responder.ReceiveTimeout = 200;
        _thread = new Thread(Serve) { IsBackground = true, Name = "ntp-responder" };
        _thread.Start();
    }

    private int Port => ((IPEndPoint)_responder.LocalEndPoint!).Port;

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(5));
        _responder.Dispose();
    }

    [Fact]
    public void Query_LoopbackResponder_PrintsServerAndAdjustLines()
    {
        var clock = new ObserveOnlyClockDriver();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new NtpdateEnvironment(
            clock,
            UdpNtpTransport.Open,
            SystemResolver.Resolve,
            4242,
            TimeZoneInfo.Utc,
            SntpQueryRunner.SecureRandomCookie,
            new RecordingSyslog(),
            ServerPort: Port);

        int exit = NtpdateCli.Run(["-q", "-p", "2", "-t", "1", "127.0.0.1"], stdout, stderr, environment);

        string output = $"exit {exit}\nstdout:\n{stdout}stderr:\n{stderr}";
        Assert.True(exit == 0 && stderr.ToString().Length == 0, output);
        string[] lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 2, output);
        Assert.Matches(ServerLine(), lines[0]);
        Assert.Matches(SummaryLine(), lines[1]);

        // Both clocks are this machine's: the offset is measurement noise, far below a step.
        double offset = double.Parse(ServerLine().Match(lines[0]).Groups["offset"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(offset, -0.1, 0.1);
        Assert.Equal(2, _answered);
        Assert.Equal(0, clock.IgnoredWrites);
    }

    [GeneratedRegex(@"^server 127\.0\.0\.1, stratum 3, offset (?<offset>[+-]\d+\.\d{6}), delay \d+\.\d{5}$")]
    private static partial Regex ServerLine();

    [GeneratedRegex(@"^[ \d]\d \w{3} \d\d:\d\d:\d\d ntpdate\[4242\]: adjust time server 127\.0\.0\.1 offset [+-]\d+\.\d{6} sec$")]
    private static partial Regex SummaryLine();

    private void Serve()
    {
        byte[] buffer = new byte[1024];
        byte[] reply = new byte[NtpHeader.Size];
        while (!_stopping)
        {
            EndPoint client = new IPEndPoint(IPAddress.Any, 0);
            int length;
            try
            {
                length = _responder.ReceiveFrom(buffer, ref client);
            }
            catch (SocketException)
            {
                continue;
            }

            var received = NtpTimestamp.FromUnixNanoseconds(new ObserveOnlyClockDriver().ReadRealtimeNanoseconds());
            if (length < NtpHeader.Size || (buffer[0] & 0x7) != (int)NtpMode.Client)
            {
                continue;
            }

            var request = NtpHeader.Read(buffer);
            var header = new NtpHeader(
                LeapIndicator.NoWarning, request.Version, NtpMode.Server, 3, 6, -20,
                new NtpShort(0x0000_0100), new NtpShort(0x0000_0200), new ReferenceId(0x7f000001),
                received - NtpDuration.FromSeconds(32), request.TransmitTime, received,
                NtpTimestamp.FromUnixNanoseconds(new ObserveOnlyClockDriver().ReadRealtimeNanoseconds()));
            header.Write(reply);

            // Count before sending: ntpdate may finish (and the test assert) as soon as the reply lands.
            Interlocked.Increment(ref _answered);
            _responder.SendTo(reply, client);
        }
    }
}
