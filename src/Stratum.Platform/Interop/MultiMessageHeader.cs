// MultiMessageHeader: struct mmsghdr on LP64 Linux (64 bytes): a msghdr (56 bytes) followed by the
// byte count the kernel fills in for that message, padded to 8. recvmmsg(2) and sendmmsg(2) take an
// array of them. Layout table in docs/fastpath.md; a test asserts the size and offsets.
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

[StructLayout(LayoutKind.Sequential, Size = 64)]
internal struct MultiMessageHeader
{
    public MessageHeader Header;

    /// <summary>Bytes received into (or sent from) this message, written by the kernel.</summary>
    public uint Length;
}
