// The SHM driver against a real System V segment, written the way gpsd writes it (struct shmTime,
// mode 1, valid flag): a reading is taken once and cleared, ns fields are used when consistent with
// the µs ones, a reading 5 h off is refused unless flag1, leap 3 is reported, and a poll's sample is
// the trimmed mean of its readings. Each test uses its own unit (key 0x4E545030 + unit) and removes
// the segment afterwards.
using System.Runtime.InteropServices;
using Stratum.Core.Wire;
using Stratum.Platform.Interop;
using Stratum.Platform.Refclock;

namespace Stratum.Platform.Tests.Refclock;

public sealed class SharedMemoryRefclockTests : IDisposable
{
    private static int s_nextUnit = 180 + (Environment.ProcessId % 40);
    private readonly byte _unit = (byte)Interlocked.Increment(ref s_nextUnit);
    private readonly int _segmentId;
    private readonly nint _segment;

    public SharedMemoryRefclockTests()
    {
        _segmentId = SharedMemoryCalls.Get(SharedMemoryRefclock.BaseKey + _unit, SharedMemoryRefclock.SegmentSize, SharedMemoryCalls.Create | 0x1B6);
        Assert.True(_segmentId >= 0, "shmget failed");
        _segment = SharedMemoryCalls.Attach(_segmentId, 0, 0);
        Marshal.Copy(new byte[SharedMemoryRefclock.SegmentSize], 0, _segment, SharedMemoryRefclock.SegmentSize);
    }

    public void Dispose()
    {
        _ = SharedMemoryCalls.Detach(_segment);
        _ = SharedMemoryCalls.Control(_segmentId, SharedMemoryCalls.Remove, 0);
    }

    /// <summary>What gpsd does for one fix: clock = receive + offset.</summary>
    private void Write(double offsetSeconds, int leap = 0, bool nanoseconds = true, long receiveSeconds = 1_795_000_000, int receiveNanoseconds = 123_456_789)
    {
        long receive = (receiveSeconds * 1_000_000_000) + receiveNanoseconds;
        long clock = receive + (long)Math.Round(offsetSeconds * 1e9);
        Marshal.WriteInt32(_segment, 0, 1);
        Marshal.WriteInt32(_segment, 4, Marshal.ReadInt32(_segment, 4) + 1);
        Marshal.WriteInt64(_segment, 8, clock / 1_000_000_000);
        Marshal.WriteInt32(_segment, 16, (int)(clock % 1_000_000_000 / 1000));
        Marshal.WriteInt64(_segment, 24, receive / 1_000_000_000);
        Marshal.WriteInt32(_segment, 32, (int)(receive % 1_000_000_000 / 1000));
        Marshal.WriteInt32(_segment, 36, leap);
        Marshal.WriteInt32(_segment, 40, -20);
        Marshal.WriteInt32(_segment, 52, nanoseconds ? (int)(clock % 1_000_000_000) : 0);
        Marshal.WriteInt32(_segment, 56, nanoseconds ? (int)(receive % 1_000_000_000) : 0);
        Marshal.WriteInt32(_segment, 4, Marshal.ReadInt32(_segment, 4) + 1);
        Marshal.WriteInt32(_segment, 48, 1);
    }

    private SharedMemoryRefclock Open(bool flag1 = false)
    {
        SharedMemoryRefclock? driver = SharedMemoryRefclock.Open(_unit, flag1, out string? error);
        Assert.True(driver is not null, error);
        return driver;
    }

    [Fact]
    public void Reading_TakenOnceAndCleared_NanosecondsUsed()
    {
        using SharedMemoryRefclock driver = Open();
        Assert.False(driver.Read());

        Write(0.000250);
        Assert.True(driver.Read());
        Assert.Equal(0, Marshal.ReadInt32(_segment, 48));
        Assert.False(driver.Read());

        Assert.True(driver.TakeSample(out double offset, out double jitter));
        Assert.Equal(0.000250, offset, 9);
        Assert.Equal(0, jitter);
        Assert.Equal(LeapIndicator.NoWarning, driver.Leap);
        Assert.Equal(-20, driver.Precision);
        Assert.False(driver.TakeSample(out _, out _));
    }

    [Fact]
    public void MicrosecondWriter_OffsetToTheMicrosecond()
    {
        using SharedMemoryRefclock driver = Open();
        Write(0.0012345678, nanoseconds: false, receiveNanoseconds: 0);
        Assert.True(driver.Read());
        Assert.True(driver.TakeSample(out double offset, out _));
        Assert.Equal(0.001234, offset, 6);
    }

    [Fact]
    public void FiveHoursOff_RefusedUnlessFlag1()
    {
        using (SharedMemoryRefclock strict = Open())
        {
            Write(5 * 3600);
            Assert.False(strict.Read());
            Assert.Equal(1, strict.Refused);
        }

        using SharedMemoryRefclock lenient = Open(flag1: true);
        Write(5 * 3600);
        Assert.True(lenient.Read());
        Assert.True(lenient.TakeSample(out double offset, out _));
        Assert.Equal(18000, offset, 6);
    }

    [Fact]
    public void LeapThree_ReportedAsUnsynchronized()
    {
        using SharedMemoryRefclock driver = Open();
        Write(0.0001, leap: 3);
        Assert.True(driver.Read());
        Assert.Equal(LeapIndicator.Unsynchronized, driver.Leap);
    }

    [Fact]
    public void PollSample_IsTheMeanOfTheMiddleSixtyPercent()
    {
        using SharedMemoryRefclock driver = Open();
        double[] readings = [0.0010, 0.0011, 0.0009, 0.0010, 0.0500, 0.0010, -0.0400, 0.0011, 0.0009, 0.0010];
        foreach (double reading in readings)
        {
            Write(reading);
            Assert.True(driver.Read());
        }

        Assert.True(driver.TakeSample(out double offset, out double jitter));
        // Sorted, two from each end dropped (the 50 ms and -40 ms outliers among them).
        Assert.InRange(offset, 0.00098, 0.00102);
        Assert.InRange(jitter, 0, 0.00006);
    }
}
