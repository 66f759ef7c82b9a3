// IoctlCalls: ioctl(2) with a pointer argument, for the Linux PPS API (linux/pps.h) of the PPS
// reference clock driver. The request numbers are the caller's.
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

internal static unsafe partial class IoctlCalls
{
    [LibraryImport(Libc.Name, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, ulong request, void* argument);
}
