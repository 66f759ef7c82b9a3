// Golden kerninfo with a kernel discipline present: a daemon whose kernel reads a fixed state
// (STA_PLL | STA_NANO, −12.345 µs, −3.25 ppm, time constant 7, 500 ppm tolerance, no PPS) answers
// ntpq's kerninfo with ntpd's k* formats ("%g" of ms and ppm) and ntpdc's kerninfo, through its
// mode 6 fallback, turns them back into ntpdc's own layout; a PPS-disciplined kernel (shift ≠ 0)
// also shows the PPS lines. A daemon with `enable mode7` answers ntpdc's kerninfo over mode 7 from
// the same kernel read, and ntpdc prints the same text both ways. The kernel is the test's, never
// the machine's.
using Stratum.Engine.Control;
using Stratum.Tools.Ntpdc;
using Stratum.Tools.Ntpq;

namespace Stratum.Cli.Tests.Ntpq;

public sealed class KernelInfoGoldenTests : IDisposable
{
    private static readonly KernelLoopState s_kernel = new(
        Offset: -12_345, Frequency: -212_992, MaxError: 16_500, EstimatedError: 2, Status: 0x2001, TimeConstant: 7,
        Precision: 1, Tolerance: 500 * 65_536, PpsFrequency: 0, PpsJitter: 0, PpsShift: 0, PpsStability: 0,
        PpsJitterCount: 0, PpsCalibrationCount: 0, PpsErrorCount: 0, PpsStabilityCount: 0);

    private static readonly KernelLoopState s_ppsKernel = s_kernel with
    {
        Status = 0x2107, PpsFrequency = -196_608, PpsJitter = 1_500, PpsShift = 8, PpsStability = 6_554,
        PpsJitterCount = 2, PpsCalibrationCount = 40, PpsErrorCount = 1, PpsStabilityCount = 3,
    };

    private KernelLoopState _state = s_kernel;
    private readonly TestDaemon _daemon;

    public KernelInfoGoldenTests() => _daemon = new TestDaemon(TestDaemon.LocalClockConfig, () => _state);

    public void Dispose() => _daemon.Dispose();

    [Fact]
    public void Ntpq_KernInfo_ShowsTheKernelState() => Assert.Equal(
        "associd=0 status=0515 leap_none, sync_local, 1 event, clock_sync,\n"
        + "pll offset:            -0.012345\n"
        + "pll frequency:         -3.25\n"
        + "maximum error:         16.5\n"
        + "estimated error:       0.002\n"
        + "kernel status:         pll nano\n"
        + "pll time constant:     7\n"
        + "precision:             0.001\n"
        + "frequency tolerance:   500\n"
        + "pps frequency:         0\n"
        + "pps stability:         0\n"
        + "pps jitter:            0\n"
        + "calibration interval   0\n"
        + "calibration cycles:    0\n"
        + "jitter exceeded:       0\n"
        + "stability exceeded:    0\n"
        + "calibration errors:    0\n", Ntpq("kerninfo"));

    [Fact]
    public void Ntpq_KernInfo_WithPps_ShowsThePpsLines()
    {
        _state = s_ppsKernel;
        string output = Ntpq("kerninfo");
        Assert.Contains("kernel status:         pll ppsfreq ppstime ppssignal nano\n", output, StringComparison.Ordinal);
        Assert.Contains("pps frequency:         -3\n", output, StringComparison.Ordinal);
        Assert.Contains("pps stability:         0.100006\n", output, StringComparison.Ordinal);
        Assert.Contains("pps jitter:            0.002\n", output, StringComparison.Ordinal);
        Assert.Contains("calibration interval   256\n", output, StringComparison.Ordinal);
        Assert.Contains("calibration cycles:    40\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Ntpdc_KernInfo_ThroughModeSix_ShowsTheKernelState() => Assert.Equal(
        "pll offset:           -1.2345e-05 s\n"
        + "pll frequency:        -3.250 ppm\n"
        + "maximum error:        0.0165 s\n"
        + "estimated error:      2e-06 s\n"
        + "status:               2001  pll nano\n"
        + "pll time constant:    7\n"
        + "precision:            1e-06 s\n"
        + "frequency tolerance:  500 ppm\n", Ntpdc("kerninfo"));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ntpdc_KernInfo_OverModeSeven_EqualsTheModeSixFallback(bool pps)
    {
        // PPS jitter of 2 µs: mode 6 carries kppsjitter with 3 decimals of ms, so 1.5 µs would not survive the fallback.
        _state = pps ? s_ppsKernel with { PpsJitter = 2_000 } : s_kernel;
        using var mode7Daemon = new TestDaemon(TestDaemon.LocalClockConfig + "\nenable mode7\n", () => _state);
        string overModeSeven = Ntpdc("kerninfo", mode7Daemon.Port);
        Stratum.Engine.Control.Mode7Responder responder = mode7Daemon.Host!.Engine.Control.Mode7;
        Assert.Equal((1L, 0L), (responder.Answered, responder.Refused));
        Assert.Equal(Ntpdc("kerninfo"), overModeSeven);
        Assert.Contains(pps ? "pps jitter:           2e-06 s\n" : "status:               2001  pll nano\n", overModeSeven, StringComparison.Ordinal);
    }

    private string Ntpq(string command)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = NtpqCli.Run(["-c", command, "127.0.0.1"], stdout, stderr, NtpqEnvironment.Default with { Port = _daemon.Port, Zone = TimeZoneInfo.Utc });
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr.ToString());
        return stdout.ToString();
    }

    private string Ntpdc(string command, int? port = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = NtpdcCli.Run(["-c", command, "127.0.0.1"], stdout, stderr, NtpdcEnvironment.Default with
        {
            Port = port ?? _daemon.Port,
            Zone = TimeZoneInfo.Utc,
            Mode7ProbeTimeoutNanoseconds = 300_000_000,
        });
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr.ToString());
        return stdout.ToString();
    }
}
