// eventfd(2), and write(2) and read(2) on it: the wake-ups of ntpd --server-threads — the main loop
// stops the extra loops at once, and the extra loops wake the main loop when they hand it a
// datagram that is not a plain client request. That mode is never run under a simulator, which is
// why its loops, and only they, may poll an fd that is not a socket (ARCHITECTURE.md §4).
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

internal static unsafe partial class EventFdCalls
{
    public const int EFD_NONBLOCK = 0x800;
    public const int EFD_CLOEXEC = 0x80000;

    [LibraryImport(Libc.Name, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);

    [LibraryImport(Libc.Name, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, void* buffer, nuint count);

    [LibraryImport(Libc.Name, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, void* buffer, nuint count);
}
