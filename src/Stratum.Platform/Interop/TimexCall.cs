// clock_adjtime(2) / adjtimex and struct timex (208 bytes on LP64 Linux). This issue only reads
// (modes = 0): status, frequency, offset, error estimates. Writing belongs to the sync engine.
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

[StructLayout(LayoutKind.Sequential)]
internal struct Timex
{
    public uint Modes;
    private readonly int _pad0;
    public long Offset;
    public long Frequency;
    public long MaxError;
    public long EstError;
    public int Status;
    private readonly int _pad1;
    public long Constant;
    public long Precision;
    public long Tolerance;
    public Timeval Time;
    public long Tick;
    public long PpsFrequency;
    public long Jitter;
    public int Shift;
    private readonly int _pad2;
    public long Stability;
    public long JitterCount;
    public long CalibrationCount;
    public long ErrorCount;
    public long StabilityCount;
    public int Tai;
    private readonly int _reserved0;
    private readonly long _reserved1;
    private readonly long _reserved2;
    private readonly long _reserved3;
    private readonly long _reserved4;
    private readonly long _reserved5;
}

[StructLayout(LayoutKind.Sequential)]
internal struct Timeval
{
    public long Seconds;
    public long Microseconds;
}

internal static unsafe partial class TimexCall
{
    [LibraryImport(Libc.Name, EntryPoint = "clock_adjtime", SetLastError = true)]
    public static partial int ClockAdjTime(int clockId, Timex* timex);
}

/// <summary>adjtime(3): the one-shot slew ntpdate uses (the kernel slews at 500 ppm until done).</summary>
internal static unsafe partial class AdjTimeCall
{
    [LibraryImport(Libc.Name, EntryPoint = "adjtime", SetLastError = true)]
    public static partial int AdjTime(Timeval* delta, Timeval* oldDelta);
}

/// <summary>Bits of timex.modes and timex.status (linux/timex.h).</summary>
internal static class TimexBits
{
    public const uint ADJ_OFFSET = 0x0001;
    public const uint ADJ_FREQUENCY = 0x0002;
    public const uint ADJ_MAXERROR = 0x0004;
    public const uint ADJ_ESTERROR = 0x0008;
    public const uint ADJ_STATUS = 0x0010;
    public const uint ADJ_TIMECONST = 0x0020;
    public const uint ADJ_TICK = 0x4000;
    public const uint ADJ_SETOFFSET = 0x0100;
    public const uint ADJ_NANO = 0x2000;

    public const int STA_PLL = 0x0001;
    public const int STA_INS = 0x0010;
    public const int STA_DEL = 0x0020;
    public const int STA_UNSYNC = 0x0040;
    public const int STA_FLL = 0x0008;
    public const int STA_FREQHOLD = 0x0080;
    public const int STA_PPSFREQ = 0x0002;
    public const int STA_PPSTIME = 0x0004;
    public const int STA_NANO = 0x2000;
}
