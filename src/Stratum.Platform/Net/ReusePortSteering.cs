// ReusePortSteering: the classic BPF program attached to an SO_REUSEPORT group of server sockets
// (ntpd --server-threads) so that NTP modes 6 and 7 (ntpq, ntpdc) always reach the group's first
// member — the main event loop's socket, which alone owns the Engine's control state — while time
// requests are spread by the kernel's usual 4-tuple hash over every member. The program reads the
// first payload byte (the kernel has pulled the UDP header); it returns 0 for modes 6 and 7, and an
// out-of-range index otherwise, which makes the kernel fall back to its hash (net/core/
// sock_reuseport.c: "no bpf or invalid bpf result: fall back to hash usage"). An empty datagram
// fails the load, the program returns 0, and the main loop drops it.
using Stratum.Platform.Interop;

namespace Stratum.Platform.Net;

internal static unsafe class ReusePortSteering
{
    private const int SO_ATTACH_REUSEPORT_CBPF = 51;

    // Classic BPF opcodes (linux/filter.h).
    private const ushort LoadByteAbsolute = 0x30;  // BPF_LD | BPF_B | BPF_ABS
    private const ushort AndConstant = 0x54;       // BPF_ALU | BPF_AND | BPF_K
    private const ushort JumpIfEqual = 0x15;       // BPF_JMP | BPF_JEQ | BPF_K
    private const ushort ReturnConstant = 0x06;    // BPF_RET | BPF_K

    /// <summary>Attaches the program to <paramref name="socket"/>'s group; returns 0 or an errno.</summary>
    public static int AttachControlToFirstMember(UdpSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        SocketFilter* program = stackalloc SocketFilter[6];
        program[0] = new SocketFilter(LoadByteAbsolute, 0, 0, 0);       // A = payload[0]
        program[1] = new SocketFilter(AndConstant, 0, 0, 7);            // A = mode
        program[2] = new SocketFilter(JumpIfEqual, 2, 0, 6);            // mode 6 → 5
        program[3] = new SocketFilter(JumpIfEqual, 1, 0, 7);            // mode 7 → 5
        program[4] = new SocketFilter(ReturnConstant, 0, 0, uint.MaxValue); // others: the kernel's hash
        program[5] = new SocketFilter(ReturnConstant, 0, 0, 0);         // the first member
        var header = new SocketFilterProgram { Length = 6, Filter = program };
        return SocketCalls.SetSockOpt(socket.FileDescriptor, Libc.SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &header, (uint)sizeof(SocketFilterProgram)) == 0
            ? 0
            : Libc.LastError;
    }
}
