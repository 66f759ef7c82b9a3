// eventfd(2) and write(2) on it: the wake-up of the extra server loops (ntpd --server-threads), so
// that the main loop can stop them at once. Those loops are never run under a simulator, which is
// why they, and only they, may poll an fd that is not a socket (ARCHITECTURE.md §4).
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
}
