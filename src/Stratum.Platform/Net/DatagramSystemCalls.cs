// DatagramSystemCalls: the seam through which ReceiveBatch and SendBatch reach the kernel: recvmmsg
// and sendmmsg for a batch, recvmsg and sendto for one datagram. Each call returns the count (or
// bytes) and, on failure, -1 with the errno, so callers never read errno twice. Headers are passed
// by address (native arrays of mmsghdr, or one msghdr) so a stand-in needs no unsafe code. The batched calls
// can be replaced in a test by a kernel (or an LD_PRELOAD simulator) that answers ENOSYS, to
// check the one-datagram fallback (all four are virtual, so a test can also count or fail the single
// calls); the daemon always uses the shared instance, which calls libc.
using Stratum.Platform.Interop;

namespace Stratum.Platform.Net;

/// <summary>The socket calls of the batched packet path.</summary>
internal unsafe class DatagramSystemCalls
{
    /// <summary>The real calls, into libc.</summary>
    public static DatagramSystemCalls Kernel { get; } = new();

    /// <summary>recvmmsg with MSG_DONTWAIT: messages filled, or -1 and <paramref name="errno"/>.</summary>
    public virtual int ReceiveMany(int fd, nint messages, uint count, out int errno)
    {
        int received = BatchMessageCalls.RecvMMsg(fd, (MultiMessageHeader*)messages, count, Libc.MSG_DONTWAIT, null);
        errno = received < 0 ? Libc.LastError : 0;
        return received;
    }

    /// <summary>sendmmsg: messages sent (from the first), or -1 and <paramref name="errno"/>.</summary>
    public virtual int SendMany(int fd, nint messages, uint count, out int errno)
    {
        int sent = BatchMessageCalls.SendMMsg(fd, (MultiMessageHeader*)messages, count, 0);
        errno = sent < 0 ? Libc.LastError : 0;
        return sent;
    }

    /// <summary>recvmsg with MSG_DONTWAIT: bytes received, or -1 and <paramref name="errno"/>.</summary>
    public virtual int ReceiveOne(int fd, nint message, out int errno)
    {
        nint received = MessageCalls.RecvMsg(fd, (MessageHeader*)message, Libc.MSG_DONTWAIT);
        errno = received < 0 ? Libc.LastError : 0;
        return (int)received;
    }

    /// <summary>sendto (sendmsg when the message carries control data): bytes sent, or -1 and <paramref name="errno"/>.</summary>
    public virtual int SendOne(int fd, in MessageHeader message, out int errno)
    {
        nint sent;
        if (message.ControlLength != 0)
        {
            fixed (MessageHeader* header = &message)
            {
                sent = MessageCalls.SendMsg(fd, header, 0);
            }
        }
        else
        {
            sent = MessageCalls.SendTo(fd, (byte*)message.Iov->Base, message.Iov->Length, 0, (byte*)message.Name, message.NameLength);
        }

        errno = sent < 0 ? Libc.LastError : 0;
        return (int)sent;
    }
}
