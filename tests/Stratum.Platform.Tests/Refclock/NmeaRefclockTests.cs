// The NMEA driver (type 20) on a pseudo-terminal: the test writes sentences to the master side as a
// receiver would, the driver reads the slave side as its serial line (8N1, canonical), stamps each
// sentence on arrival and turns it into a reading: the sentence's time minus the stamp plus time2.
// A sentence with a bad checksum or without a fix is refused; one per second counts; leap bits stay 3
// until a valid sentence came. Also the `mode` line speeds.
using Stratum.Core.Wire;
using Stratum.Platform.Clock;
using Stratum.Platform.Refclock;

namespace Stratum.Platform.Tests.Refclock;

public sealed class NmeaRefclockTests : IDisposable
{
    private readonly PseudoTerminal _line = PseudoTerminal.Open();

    private string Slave => _line.SlavePath;

    public void Dispose() => _line.Dispose();

    [Theory]
    [InlineData(0, 4800)]
    [InlineData(17, 9600)]
    [InlineData(0x50, 115200)]
    [InlineData(0x60, 0)]
    public void ModeBits4To6_ChooseTheLineSpeed(int mode, int speed) => Assert.Equal(speed, NmeaRefclock.LineSpeed(mode));

    [Fact]
    public void SentencesOnTheLine_BecomeReadings_StampedOnArrival()
    {
        using NmeaRefclock? driver = NmeaRefclock.Open(3, Slave, mode: 0x11, time2: 0.050, new ObserveOnlyClockDriver(), out string? error);
        Assert.True(driver is not null, error);
        Assert.Equal(LeapIndicator.Unsynchronized, driver.Leap);

        // A bad checksum and a warning fix: refused.
        Write("$GPRMC,120000.00,A,4916.45,N,12311.12,W,000.5,054.7,071226,020.3,E*00\r\n");
        Write(Sentence("GPRMC", DateTime.UtcNow, valid: false));
        // Three good ones, each for a second of its own, written at the time it says.
        for (int i = 0; i < 3; i++)
        {
            Write(Sentence("GPRMC", DateTime.UtcNow, valid: true));
            Thread.Sleep(1000);
        }

        WaitFor(() => driver.Readings == 3 && driver.Refused == 2);
        driver.Read();
        Assert.Equal(LeapIndicator.NoWarning, driver.Leap);
        Assert.True(driver.TakeSample(out double offset, out double jitter));
        // The sentence says when it was written; it arrives a little later: offset = time2 minus that delay
        // (bounds for a busy machine: the delay is tens of microseconds when idle).
        Assert.InRange(offset, 0.0, 0.0501);
        Assert.InRange(jitter, 0, 0.050);
        Assert.False(driver.TakeSample(out _, out _));
    }

    [Fact]
    public void ANonSerialDevice_IsRefusedWithTheReason()
    {
        string file = Path.GetTempFileName();
        try
        {
            Assert.Null(NmeaRefclock.Open(0, file, 0, 0, new ObserveOnlyClockDriver(), out string? error));
            Assert.StartsWith($"GPS_NMEA(0): {file} is not a serial line: ", error, StringComparison.Ordinal);
            Assert.Null(NmeaRefclock.Open(0, "/nonexistent/gps0", 0, 0, new ObserveOnlyClockDriver(), out error));
            Assert.StartsWith("GPS_NMEA(0): cannot open /nonexistent/gps0: ", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>An RMC sentence for <paramref name="utc"/> (to the millisecond), valid or a warning.</summary>
    public static string Sentence(string address, DateTime utc, bool valid)
    {
        string body = FormattableString.Invariant($"{address},{utc:HHmmss.fff},{(valid ? 'A' : 'V')},4916.45,N,12311.12,W,000.5,054.7,{utc:ddMMyy},020.3,E");
        int sum = 0;
        foreach (char c in body)
        {
            sum ^= c;
        }

        return FormattableString.Invariant($"${body}*{sum:X2}\r\n");
    }

    private void Write(string text) => _line.Write(text);

    private static void WaitFor(Func<bool> condition)
    {
        for (int i = 0; i < 50 && !condition(); i++)
        {
            Thread.Sleep(100);
        }
    }
}
