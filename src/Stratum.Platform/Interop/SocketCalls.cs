// socket(2), bind(2), setsockopt(2), getsockopt(2), fcntl(2) and close(2): the calls that create and
// configure the daemon's UDP sockets. Sockets are created without type flags and made non-blocking
// and close-on-exec through fcntl (ARCHITECTURE.md §4: simulators do not know SOCK_NONBLOCK).
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

internal static unsafe partial class SocketCalls
{
    [LibraryImport(Libc.Name, EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Libc.Name, EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int fd, byte* address, uint addressLength);

    [LibraryImport(Libc.Name, EntryPoint = "getsockname", SetLastError = true)]
    public static partial int GetSockName(int fd, byte* address, uint* addressLength);

    [LibraryImport(Libc.Name, EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int fd, int level, int name, void* value, uint valueLength);

    [LibraryImport(Libc.Name, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport(Libc.Name, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    public static int SetIntOption(int fd, int level, int name, int value) =>
        SetSockOpt(fd, level, name, &value, sizeof(int));
}
