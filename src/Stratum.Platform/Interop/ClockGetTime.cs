// clock_gettime(2): the only source of time in the daemon (CLOCK_REALTIME and CLOCK_MONOTONIC).
// It never blocks, so the GC transition is suppressed.
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

internal static unsafe partial class ClockGetTime
{
    [LibraryImport(Libc.Name, EntryPoint = "clock_gettime")]
    [SuppressGCTransition]
    private static partial int Call(int clockId, Timespec* time);

    public static long Nanoseconds(int clockId)
    {
        Timespec ts;
        _ = Call(clockId, &ts);
        return ts.TotalNanoseconds;
    }

    public static long Realtime() => Nanoseconds(Libc.CLOCK_REALTIME);

    public static long Monotonic() => Nanoseconds(Libc.CLOCK_MONOTONIC);
}
