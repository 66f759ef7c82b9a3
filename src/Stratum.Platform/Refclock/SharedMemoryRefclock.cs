// SharedMemoryRefclock: ntpd's SHM reference clock driver (type 28, "SHM(u)"; ntpd 4.2.8
// drivers/driver28.html), the segment through which gpsd and other time sources hand time to an
// NTP daemon. Unit u uses the System V segment with key 0x4E545030 + u ("NTP0" + u), created when
// missing, owner-only for units 0 and 1 and world-writable from unit 2 on, as the document says.
// Units 0 and 1 are the trusted ones (only root's processes may write them), so an existing segment
// for them is used only when it belongs to root or the daemon's user (owner and creator, IPC_STAT)
// and is not writable by group or others; otherwise anyone could feed the daemon its time. Such a
// segment is refused with a log line naming its owner or mode, and the unit stays unreachable.
// The segment holds one reading: the reference clock's time and the system time at which it was
// taken (seconds, µs and ns), leap bits, precision, and a `valid` flag the writer sets and the
// reader clears. In mode 1 the writer also bumps `count` around each update and a reading whose
// count changed while it was copied is discarded. Each second the daemon takes the reading, if any;
// a reading more than 4 hours from the system clock is refused unless `fudge flag1 1`. Every poll
// the readings of the interval become one sample: the middle 60 % of them after sorting, averaged,
// with their spread as jitter. Written from the driver's documentation; nothing here changes the
// clock. Used by the event loop thread only.
using System.Globalization;
using System.Runtime.InteropServices;
using Stratum.Core.Wire;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Refclock;

/// <summary>One SHM unit: readings each second, a sample per poll.</summary>
public sealed unsafe class SharedMemoryRefclock : IReferenceClockDriver
{
    /// <summary>Key of unit 0: "NTP0".</summary>
    public const int BaseKey = 0x4E545030;

    /// <summary>sizeof(struct shmTime) on LP64 Linux.</summary>
    public const int SegmentSize = 96;

    /// <summary>Readings further than this from the system clock are refused unless flag1.</summary>
    public const double MaxDifferenceSeconds = 4 * 3600;

    private const int MaxReadings = 64;

    // struct shmTime offsets (LP64): mode, count, clock s/µs, receive s/µs, leap, precision, nsamples,
    // valid, clock ns, receive ns.
    private const int ModeOffset = 0;
    private const int CountOffset = 4;
    private const int ClockSecondsOffset = 8;
    private const int ClockMicrosecondsOffset = 16;
    private const int ReceiveSecondsOffset = 24;
    private const int ReceiveMicrosecondsOffset = 32;
    private const int LeapOffset = 36;
    private const int PrecisionOffset = 40;
    private const int ValidOffset = 48;
    private const int ClockNanosecondsOffset = 52;
    private const int ReceiveNanosecondsOffset = 56;

    private readonly RefclockReadings _readings = new(MaxReadings);
    private byte* _segment;

    private SharedMemoryRefclock(byte unit, bool skipSanityCheck, byte* segment)
    {
        Unit = unit;
        SkipSanityCheck = skipSanityCheck;
        _segment = segment;
    }

    public byte Unit { get; }

    /// <summary>`fudge flag1 1`: accept readings however far from the system clock.</summary>
    public bool SkipSanityCheck { get; }

    /// <summary>Leap bits of the last reading (3 = the source is not synchronized).</summary>
    public LeapIndicator Leap { get; private set; } = LeapIndicator.Unsynchronized;

    /// <summary>Precision the writer declares (log2 s); -20 until it says otherwise.</summary>
    public sbyte Precision { get; private set; } = -20;

    /// <summary>Readings taken, refused as too far off, and lost to a concurrent update.</summary>
    public long Readings { get; private set; }

    public long Refused { get; private set; }

    public long Clashes { get; private set; }

    /// <summary>Attaches unit <paramref name="unit"/>'s segment, creating it if needed; null with the
    /// reason when the kernel refuses, or when an existing segment of unit 0 or 1 is not root's or
    /// ours alone (<see cref="Vet"/>).</summary>
    public static SharedMemoryRefclock? Open(byte unit, bool skipSanityCheck, out string? error) =>
        Open(unit, BaseKey + unit, skipSanityCheck, out error);

    /// <summary>As <see cref="Open(byte, bool, out string?)"/> with the segment's key given (tests use
    /// keys of their own with the rules of <paramref name="unit"/>).</summary>
    internal static SharedMemoryRefclock? Open(byte unit, int key, bool skipSanityCheck, out string? error)
    {
        bool restricted = IsRestricted(unit);
        int permissions = restricted ? 0x180 : 0x1B6; // 0600 : 0666
        int id = SharedMemoryCalls.Get(key, SegmentSize, SharedMemoryCalls.Create | SharedMemoryCalls.Exclusive | permissions);
        if (id < 0 && Marshal.GetLastPInvokeError() == SharedMemoryCalls.AlreadyExists)
        {
            // Someone made it first (gpsd, an earlier daemon, anyone): whose is it?
            id = SharedMemoryCalls.Get(key, SegmentSize, 0);
            if (id >= 0 && restricted)
            {
                if (!SharedMemoryCalls.TryGetOwner(id, out uint userId, out uint creatorUserId, out int mode))
                {
                    error = $"SHM({unit}): shmctl(0x{key:X8}, IPC_STAT): {Libc.ErrorText(Marshal.GetLastPInvokeError())}";
                    return null;
                }

                uint self = FileCalls.GetEffectiveUserId();
                SegmentRefusal refusal = Vet(unit, userId, creatorUserId, mode, self);
                if (refusal != SegmentRefusal.None)
                {
                    error = RefusalText(unit, key, refusal, userId, creatorUserId, mode, self);
                    return null;
                }
            }
        }

        if (id < 0)
        {
            error = $"SHM({unit}): shmget(0x{key:X8}): {Libc.ErrorText(Marshal.GetLastPInvokeError())}";
            return null;
        }

        nint address = SharedMemoryCalls.Attach(id, 0, 0);
        if (address == -1)
        {
            error = $"SHM({unit}): shmat: {Libc.ErrorText(Marshal.GetLastPInvokeError())}";
            return null;
        }

        error = null;
        return new SharedMemoryRefclock(unit, skipSanityCheck, (byte*)address);
    }

    /// <summary>Units 0 and 1 are root's: their segments must be writable by root (or the daemon's user) only.</summary>
    public static bool IsRestricted(byte unit) => unit < 2;

    /// <summary>
    /// Whether an existing segment may be used for <paramref name="unit"/>: any for units 2 and up;
    /// for units 0 and 1 only one whose owner and creator are root or <paramref name="self"/> (the
    /// daemon's effective uid) and whose mode gives group and others no write permission.
    /// </summary>
    public static SegmentRefusal Vet(byte unit, uint userId, uint creatorUserId, int mode, uint self)
    {
        if (!IsRestricted(unit))
        {
            return SegmentRefusal.None;
        }

        if (userId is not 0 && userId != self || creatorUserId is not 0 && creatorUserId != self)
        {
            return SegmentRefusal.Owner;
        }

        return (mode & 0x12) != 0 ? SegmentRefusal.WritableByOthers : SegmentRefusal.None; // S_IWGRP | S_IWOTH
    }

    /// <summary>The log line for a refused segment.</summary>
    public static string RefusalText(byte unit, int key, SegmentRefusal refusal, uint userId, uint creatorUserId, int mode, uint self) => refusal switch
    {
        SegmentRefusal.Owner => string.Create(CultureInfo.InvariantCulture,
            $"SHM({unit}): segment 0x{key:X8} belongs to uid {userId} (created by uid {creatorUserId}), neither root nor this daemon (uid {self}); refused, not used"),
        SegmentRefusal.WritableByOthers => string.Create(CultureInfo.InvariantCulture,
            $"SHM({unit}): segment 0x{key:X8} has mode {Convert.ToString(mode & 0x1FF, 8).PadLeft(4, '0')}, writable by group or others (units 0 and 1 must be 0600); refused, not used"),
        _ => string.Empty,
    };

    /// <summary>Takes the segment's reading if the writer left one (called once a second).</summary>
    /// <returns>True when a reading was kept.</returns>
    public bool Read()
    {
        if (_segment is null || Volatile.Read(ref *(int*)(_segment + ValidOffset)) == 0)
        {
            return false;
        }

        int mode = *(int*)(_segment + ModeOffset);
        int countBefore = Volatile.Read(ref *(int*)(_segment + CountOffset));
        long clockNanoseconds = Nanoseconds(ClockSecondsOffset, ClockMicrosecondsOffset, ClockNanosecondsOffset);
        long receiveNanoseconds = Nanoseconds(ReceiveSecondsOffset, ReceiveMicrosecondsOffset, ReceiveNanosecondsOffset);
        int leap = *(int*)(_segment + LeapOffset);
        int precision = *(int*)(_segment + PrecisionOffset);
        bool clash = mode == 1 && Volatile.Read(ref *(int*)(_segment + CountOffset)) != countBefore;
        Volatile.Write(ref *(int*)(_segment + ValidOffset), 0);
        if (clash)
        {
            Clashes++;
            return false;
        }

        double offset = (clockNanoseconds - receiveNanoseconds) / 1e9;
        if (!SkipSanityCheck && Math.Abs(offset) > MaxDifferenceSeconds)
        {
            Refused++;
            return false;
        }

        Readings++;
        Leap = (LeapIndicator)(leap & 3);
        if (precision is < 0 and >= -30)
        {
            Precision = (sbyte)precision;
        }

        _readings.Add(offset);
        return true;
    }

    void IReferenceClockDriver.Read() => Read();

    /// <summary>The poll's sample from the readings since the last one, which are then dropped:
    /// false when there were none.</summary>
    public bool TakeSample(out double offset, out double jitter) => _readings.TakeSample(out offset, out jitter);

    private long Nanoseconds(int secondsOffset, int microsecondsOffset, int nanosecondsOffset)
    {
        long seconds = *(long*)(_segment + secondsOffset);
        int microseconds = *(int*)(_segment + microsecondsOffset);
        uint nanoseconds = *(uint*)(_segment + nanosecondsOffset);
        // Writers that fill the ns field keep it consistent with the µs one; older ones leave it 0.
        long fraction = nanoseconds < 1_000_000_000 && nanoseconds / 1000 == microseconds ? nanoseconds : microseconds * 1000L;
        return (seconds * 1_000_000_000) + fraction;
    }

    public void Dispose()
    {
        if (_segment is not null)
        {
            _ = SharedMemoryCalls.Detach((nint)_segment);
            _segment = null;
        }
    }
}
