// recvmsg(2) and sendto(2): one datagram in with its control messages (kernel receive timestamp),
// one datagram out. Batching (recvmmsg/sendmmsg) is the fast-path work of a later issue.
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

internal static unsafe partial class MessageCalls
{
    [LibraryImport(Libc.Name, EntryPoint = "recvmsg", SetLastError = true)]
    public static partial nint RecvMsg(int fd, MessageHeader* message, int flags);

    [LibraryImport(Libc.Name, EntryPoint = "sendto", SetLastError = true)]
    public static partial nint SendTo(int fd, byte* buffer, nuint length, int flags, byte* address, uint addressLength);
}
