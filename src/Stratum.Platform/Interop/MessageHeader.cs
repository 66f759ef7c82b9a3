// MessageHeader, IoVector, ControlMessageHeader: struct msghdr (56 bytes), struct iovec (16) and
// struct cmsghdr (16, data at +16) on LP64 Linux, for recvmsg(2) and sendmsg(2).
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MessageHeader
{
    public void* Name;
    public uint NameLength;
    public IoVector* Iov;
    public nuint IovLength;
    public void* Control;
    public nuint ControlLength;
    public int Flags;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoVector
{
    public void* Base;
    public nuint Length;
}

[StructLayout(LayoutKind.Sequential)]
internal struct ControlMessageHeader
{
    public nuint Length;
    public int Level;
    public int Type;
}
