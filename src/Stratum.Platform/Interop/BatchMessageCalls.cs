// recvmmsg(2) and sendmmsg(2): many datagrams per system call for the server fast path (docs/fastpath.md).
// Each returns the number of messages handled, or -1 with errno (EAGAIN: nothing waiting / socket
// buffer full; ENOSYS: the kernel or an interposed simulator library lacks the call, and the caller
// falls back to recvmsg/sendto one datagram at a time). The receive timeout argument is always null:
// sockets are non-blocking and recvmmsg is called with MSG_DONTWAIT.
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

internal static unsafe partial class BatchMessageCalls
{
    [LibraryImport(Libc.Name, EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int RecvMMsg(int fd, MultiMessageHeader* messages, uint count, int flags, Timespec* timeout);

    [LibraryImport(Libc.Name, EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMMsg(int fd, MultiMessageHeader* messages, uint count, int flags);
}
