// SocketFilter and SocketFilterProgram: struct sock_filter (8 bytes: code, jt, jf, k) and struct
// sock_fprog (16 bytes on LP64: length, pointer) of classic BPF, for SO_ATTACH_REUSEPORT_CBPF (51),
// which lets a program pick the member of an SO_REUSEPORT group that receives a datagram.
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

[StructLayout(LayoutKind.Sequential)]
internal struct SocketFilter
{
    public ushort Code;
    public byte JumpIfTrue;
    public byte JumpIfFalse;
    public uint Constant;

    public SocketFilter(ushort code, byte jumpIfTrue, byte jumpIfFalse, uint constant)
    {
        Code = code;
        JumpIfTrue = jumpIfTrue;
        JumpIfFalse = jumpIfFalse;
        Constant = constant;
    }
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SocketFilterProgram
{
    public ushort Length;
    public SocketFilter* Filter;
}
