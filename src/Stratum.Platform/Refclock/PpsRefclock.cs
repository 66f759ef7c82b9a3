// PpsRefclock: ntpd's PPS reference clock driver (type 22, "PPS(u)", ntpd 4.2.8 drivers/driver22.html):
// the pulse-per-second of a GPS receiver or an atomic clock, read through the Linux PPS API (RFC 2783)
// from /dev/ppsU. Each second the driver fetches the latest assert timestamp (the clear edge with
// `fudge flag2 1`) without waiting; a new pulse (its sequence number moved) is a reading: the pulse marks
// the start of a second, so the reading is the distance from its timestamp to the nearest whole second,
// negated (a pulse stamped at 12:00:00.000120 says the clock is 120 µs ahead). The pulse says which
// instant but not which second, so the sample only means something while the clock is within half a
// second of the truth; selection therefore uses it only beside a prefer peer that gives the seconds
// (ClockSelector's PPS rule, ntpd's). Readings reduce to one sample per poll as for every driver. With
// `fudge flag3 1` the device is also bound to the kernel's hardpps (RFC 2783 time_pps_kcbind, PPS_KC_BIND):
// the kernel then disciplines the clock from the pulses itself, as ntpd's driver asks it to (the clock
// driver sets STA_PPSTIME and STA_PPSFREQ). IPpsDevice is the seam: the daemon's reads the device with the
// PPS ioctls, tests give one of their own. Nothing in this file changes the clock.
using Stratum.Core.Wire;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Refclock;

/// <summary>The source of pulse timestamps: RFC 2783's time_pps_fetch, without waiting.</summary>
public interface IPpsDevice : IDisposable
{
    /// <summary>The latest pulse of the chosen edge: its sequence number and CLOCK_REALTIME stamp (Unix ns); false when
    /// the device cannot be read.</summary>
    bool TryFetch(bool clearEdge, out uint sequence, out long unixNanoseconds);

    /// <summary>Binds the chosen edge to the kernel's PPS discipline (PPS_KC_BIND, PPS_KC_HARDPPS); 0 or the errno.</summary>
    int BindKernel(bool clearEdge);
}

/// <summary>One PPS unit: a reading per new pulse, a sample per poll.</summary>
public sealed class PpsRefclock : IReferenceClockDriver
{
    private readonly IPpsDevice _device;
    private readonly bool _clearEdge;
    private readonly RefclockReadings _readings = new();
    private uint _lastSequence;
    private bool _seen;

    public PpsRefclock(byte unit, IPpsDevice device, bool clearEdge)
    {
        ArgumentNullException.ThrowIfNull(device);
        Unit = unit;
        _device = device;
        _clearEdge = clearEdge;
    }

    public byte Unit { get; }

    /// <summary>No warning once pulses come (a pulse carries no leap information); 3 before.</summary>
    public LeapIndicator Leap { get; private set; } = LeapIndicator.Unsynchronized;

    /// <summary>A pulse timestamped by the kernel's interrupt: about a microsecond (2^-20 s).</summary>
    public sbyte Precision => -20;

    public long Pulses { get; private set; }

    /// <summary>ntpd's device for unit <paramref name="unit"/>: /dev/ppsU.</summary>
    public static string DevicePath(byte unit) => $"/dev/pps{unit}";

    /// <summary>Opens /dev/ppsU (or <paramref name="device"/>) through the PPS ioctls; null with the reason when it
    /// is missing or not a PPS device.</summary>
    public static PpsRefclock? Open(byte unit, string device, bool clearEdge, out string? error)
    {
        LinuxPpsDevice? pps = LinuxPpsDevice.Open(device, clearEdge, out string? reason);
        if (pps is null)
        {
            error = $"PPS({unit}): {reason}";
            return null;
        }

        error = null;
        return new PpsRefclock(unit, pps, clearEdge);
    }

    /// <summary>Takes the latest pulse if it is a new one (called once a second).</summary>
    public void Read()
    {
        if (!_device.TryFetch(_clearEdge, out uint sequence, out long stamp) || stamp == 0 || (_seen && sequence == _lastSequence))
        {
            return;
        }

        _seen = true;
        _lastSequence = sequence;
        Pulses++;
        Leap = LeapIndicator.NoWarning;
        _readings.Add(OffsetOfPulse(stamp));
    }

    public bool TakeSample(out double offset, out double jitter) => _readings.TakeSample(out offset, out jitter);

    /// <summary>The clock's offset a pulse stamped at <paramref name="unixNanoseconds"/> shows: minus the distance
    /// to the nearest whole second, in (-0.5, 0.5] s.</summary>
    public static double OffsetOfPulse(long unixNanoseconds)
    {
        long fraction = ((unixNanoseconds % 1_000_000_000L) + 1_000_000_000L) % 1_000_000_000L;
        long distance = fraction >= 500_000_000L ? fraction - 1_000_000_000L : fraction;
        return -distance / 1e9;
    }

    /// <summary>`fudge flag3 1`: hands the pulses to the kernel's hardpps; null, or why it could not (no
    /// CAP_SYS_TIME, or a kernel without NTP_PPS).</summary>
    public string? BindKernel()
    {
        int errno = _device.BindKernel(_clearEdge);
        KernelBound = errno == 0;
        return errno == 0 ? null : $"PPS({Unit}): cannot bind to the kernel PPS discipline: {Libc.ErrorText(errno)}";
    }

    /// <summary>True once the device is bound to the kernel's PPS discipline.</summary>
    public bool KernelBound { get; private set; }

    public void Dispose() => _device.Dispose();
}

/// <summary>A Linux PPS device (/dev/ppsN) read with the PPS_* ioctls of linux/pps.h.</summary>
internal sealed unsafe class LinuxPpsDevice : IPpsDevice
{
    // _IOR/_IOW/_IOWR('p', n, pointer): the kernel's ioctl numbers carry the size of a pointer.
    private const ulong PpsGetParams = 0x800870A1;
    private const ulong PpsSetParams = 0x400870A2;
    private const ulong PpsGetCap = 0x800870A3;
    private const ulong PpsFetch = 0xC00870A4;
    private const ulong PpsKernelBind = 0x400870A5;
    private const int TimestampFormatTimespec = 0x1000;
    private const int KernelConsumerHardPps = 0;
    private const int CaptureAssert = 0x01;
    private const int CaptureClear = 0x02;

    // struct pps_fdata: pps_kinfo (assert_sequence u32, clear_sequence u32, assert_tu pps_ktime, clear_tu pps_ktime,
    // current_mode int; 48 bytes with padding) and a pps_ktime timeout (s64 sec, s32 nsec, u32 flags).
    private const int FetchDataSize = 64;
    private const int AssertSequenceOffset = 0;
    private const int ClearSequenceOffset = 4;
    private const int AssertTimeOffset = 8;
    private const int ClearTimeOffset = 24;

    private int _fd;

    private LinuxPpsDevice(int fd)
    {
        _fd = fd;
    }

    public static LinuxPpsDevice? Open(string device, bool clearEdge, out string? error)
    {
        int fd = FileCalls.Open(device, TerminalCalls.O_RDWR | TerminalCalls.O_CLOEXEC, 0);
        if (fd < 0)
        {
            error = $"cannot open {device}: {Libc.ErrorText(Libc.LastError)}";
            return null;
        }

        int capabilities = 0;
        if (IoctlCalls.Ioctl(fd, PpsGetCap, &capabilities) < 0)
        {
            error = $"{device} is not a PPS device: {Libc.ErrorText(Libc.LastError)}";
            _ = FileCalls.Close(fd);
            return null;
        }

        int edge = clearEdge ? CaptureClear : CaptureAssert;
        if ((capabilities & edge) == 0)
        {
            error = $"{device} cannot capture the {(clearEdge ? "clear" : "assert")} edge";
            _ = FileCalls.Close(fd);
            return null;
        }

        // struct pps_kparams: api_version int, mode int, assert_off_tu and clear_off_tu (pps_ktime each).
        byte* parameters = stackalloc byte[40];
        if (IoctlCalls.Ioctl(fd, PpsGetParams, parameters) == 0)
        {
            *(int*)(parameters + 4) |= edge;
            _ = IoctlCalls.Ioctl(fd, PpsSetParams, parameters);
        }

        error = null;
        return new LinuxPpsDevice(fd);
    }

    public bool TryFetch(bool clearEdge, out uint sequence, out long unixNanoseconds)
    {
        sequence = 0;
        unixNanoseconds = 0;
        byte* data = stackalloc byte[FetchDataSize];
        new Span<byte>(data, FetchDataSize).Clear(); // a zero timeout: return at once
        if (_fd < 0 || IoctlCalls.Ioctl(_fd, PpsFetch, data) < 0)
        {
            return false;
        }

        sequence = *(uint*)(data + (clearEdge ? ClearSequenceOffset : AssertSequenceOffset));
        byte* time = data + (clearEdge ? ClearTimeOffset : AssertTimeOffset);
        unixNanoseconds = (*(long*)time * 1_000_000_000L) + *(int*)(time + 8);
        return true;
    }

    public int BindKernel(bool clearEdge)
    {
        // struct pps_bind_args: tsformat, edge, consumer.
        int* arguments = stackalloc int[3];
        arguments[0] = TimestampFormatTimespec;
        arguments[1] = clearEdge ? CaptureClear : CaptureAssert;
        arguments[2] = KernelConsumerHardPps;
        return _fd < 0 ? Libc.EBADF : IoctlCalls.Ioctl(_fd, PpsKernelBind, arguments) == 0 ? 0 : Libc.LastError;
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = FileCalls.Close(_fd);
            _fd = -1;
        }
    }
}
