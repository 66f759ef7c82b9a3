// The guides' GPS server, end to end: our ntpd with `server 127.127.28.U minpoll 4 prefer` and
// `fudge 127.127.28.U refid GPS`, fed once a second through the SHM segment the way gpsd feeds it
// (the reference 0.4 ms ahead of the system clock), selects SHM(U) over its local clock within
// 20 s, serves stratum 1 with refid GPS, and ntpq -p shows it as ntpd would. The daemon never
// touches the clock (disable ntp).
using System.Runtime.InteropServices;
using Stratum.Platform.Interop;
using Stratum.Platform.Refclock;
using Stratum.Tools.Ntpq;

namespace Stratum.Cli.Tests.Ntpq;

public sealed class SharedMemoryClockTests : IDisposable
{
    private readonly byte _unit = (byte)(230 + (Environment.ProcessId % 20));
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _writer;
    private readonly TestDaemon _daemon;

    public SharedMemoryClockTests()
    {
        int id = SharedMemoryCalls.Get(SharedMemoryRefclock.BaseKey + _unit, SharedMemoryRefclock.SegmentSize, SharedMemoryCalls.Create | 0x1B6);
        Assert.True(id >= 0, "shmget failed");
        _writer = new Thread(() => Feed(id)) { IsBackground = true };
        _writer.Start();
        _daemon = new TestDaemon($"""
            server 127.127.28.{_unit} minpoll 4 prefer
            fudge 127.127.28.{_unit} refid GPS
            {TestDaemon.LocalClockConfig}
            """);
    }

    public void Dispose()
    {
        _daemon.Dispose();
        _stop.Cancel();
        _writer.Join();
        _stop.Dispose();
    }

    /// <summary>gpsd's side: a reading a second (mode 1, count bumped around the update, valid set last).</summary>
    private void Feed(int id)
    {
        nint segment = SharedMemoryCalls.Attach(id, 0, 0);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                long receive = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
                long clock = receive + 400_000;
                Marshal.WriteInt32(segment, 0, 1);
                Marshal.WriteInt32(segment, 4, Marshal.ReadInt32(segment, 4) + 1);
                Marshal.WriteInt64(segment, 8, clock / 1_000_000_000);
                Marshal.WriteInt32(segment, 16, (int)(clock % 1_000_000_000 / 1000));
                Marshal.WriteInt64(segment, 24, receive / 1_000_000_000);
                Marshal.WriteInt32(segment, 32, (int)(receive % 1_000_000_000 / 1000));
                Marshal.WriteInt32(segment, 36, 0);
                Marshal.WriteInt32(segment, 40, -20);
                Marshal.WriteInt32(segment, 52, (int)(clock % 1_000_000_000));
                Marshal.WriteInt32(segment, 56, (int)(receive % 1_000_000_000));
                Marshal.WriteInt32(segment, 4, Marshal.ReadInt32(segment, 4) + 1);
                Marshal.WriteInt32(segment, 48, 1);
                _stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
        }
        finally
        {
            _ = SharedMemoryCalls.Detach(segment);
            _ = SharedMemoryCalls.Control(id, SharedMemoryCalls.Remove, 0);
        }
    }

    [Fact]
    public void GpsOverShm_IsSelected_ServedAsStratumOneWithRefidGps()
    {
        string peers = string.Empty;
        for (int attempt = 0; attempt < 40 && !peers.Contains($"*SHM({_unit})", StringComparison.Ordinal); attempt++)
        {
            Thread.Sleep(TimeSpan.FromMilliseconds(500));
            var stdout = new StringWriter();
            Assert.Equal(0, NtpqCli.Run(["-p", "127.0.0.1"], stdout, new StringWriter(), NtpqEnvironment.Default with { Port = _daemon.Port }));
            peers = stdout.ToString();
        }

        string line = peers.Split('\n').FirstOrDefault(row => row.StartsWith($"*SHM({_unit})", StringComparison.Ordinal)) ?? string.Empty;
        Assert.True(line.Length > 0, $"SHM({_unit}) not selected within 20 s:\n{peers}");
        string[] columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([".GPS.", "0", "l"], columns[1..4]);
        Assert.InRange(double.Parse(columns[8], System.Globalization.CultureInfo.InvariantCulture), 0.3, 0.5);

        var system = new StringWriter();
        Assert.Equal(0, NtpqCli.Run(["-c", "rv 0 stratum,refid", "127.0.0.1"], system, new StringWriter(), NtpqEnvironment.Default with { Port = _daemon.Port }));
        Assert.Equal("stratum=1, refid=GPS\n", system.ToString());

        // clockvar of the SHM association (ids: local clocks first, so 2).
        var clock = new StringWriter();
        Assert.Equal(0, NtpqCli.Run(["-c", "cv 2", "127.0.0.1"], clock, new StringWriter(), NtpqEnvironment.Default with { Port = _daemon.Port }));
        string clockVariables = clock.ToString();
        Assert.Contains("device=\"SHM/Shared memory interface\"", clockVariables, StringComparison.Ordinal);
        Assert.Contains("refid=GPS", clockVariables, StringComparison.Ordinal);
        Assert.Matches(@"poll=[1-9]", clockVariables);
    }
}
