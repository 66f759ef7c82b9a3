// recvmsg(2), sendto(2) and sendmsg(2): one datagram in with its control messages (kernel receive
// timestamp, or a transmit stamp from the error queue), one datagram out, with control messages when
// it asks for its own kernel transmit stamp. Batches use BatchMessageCalls.
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

internal static unsafe partial class MessageCalls
{
    [LibraryImport(Libc.Name, EntryPoint = "recvmsg", SetLastError = true)]
    public static partial nint RecvMsg(int fd, MessageHeader* message, int flags);

    [LibraryImport(Libc.Name, EntryPoint = "sendmsg", SetLastError = true)]
    public static partial nint SendMsg(int fd, MessageHeader* message, int flags);

    [LibraryImport(Libc.Name, EntryPoint = "sendto", SetLastError = true)]
    public static partial nint SendTo(int fd, byte* buffer, nuint length, int flags, byte* address, uint addressLength);
}
