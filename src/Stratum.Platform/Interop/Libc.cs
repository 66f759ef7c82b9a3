// Libc: names, constants and the library resolver shared by every P/Invoke in Platform/Interop.
// ARCHITECTURE.md §4: imports name "libc", which NativeAOT binds at link time (DirectPInvoke) and
// JIT runs resolve to the main program handle, so a preloaded simulator library can interpose.
// Constants and layouts are for Linux x86-64/arm64 (LP64).
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

internal static class Libc
{
    public const string Name = "libc";

    public const int AF_INET = 2;
    public const int AF_INET6 = 10;
    public const int SOCK_DGRAM = 2;
    public const int IPPROTO_IP = 0;
    public const int IPPROTO_UDP = 17;
    public const int IPPROTO_IPV6 = 41;
    public const int SOL_SOCKET = 1;
    public const int SO_REUSEADDR = 2;
    public const int SO_RCVBUF = 8;
    public const int SO_REUSEPORT = 15;
    public const int SO_RCVBUFFORCE = 33;
    public const int SO_TIMESTAMPNS = 35;
    public const int SO_TIMESTAMPING = 37;
    public const int SCM_TIMESTAMPNS = 35;
    public const int SCM_TIMESTAMPING = 37;
    public const int IPV6_V6ONLY = 26;
    public const int SOF_TIMESTAMPING_TX_SOFTWARE = 1 << 1;
    public const int SOF_TIMESTAMPING_RX_SOFTWARE = 1 << 3;
    public const int SOF_TIMESTAMPING_SOFTWARE = 1 << 4;
    public const int SOF_TIMESTAMPING_OPT_ID = 1 << 7;
    public const int SOF_TIMESTAMPING_OPT_TSONLY = 1 << 11;
    public const int IP_RECVERR = 11;
    public const int SO_BROADCAST = 6;
    public const int IP_MULTICAST_IF = 32;
    public const int IP_MULTICAST_TTL = 33;
    public const int IP_ADD_MEMBERSHIP = 35;
    public const int IP_MULTICAST_ALL = 49;
    public const int IPV6_MULTICAST_IF = 17;
    public const int IPV6_MULTICAST_HOPS = 18;
    public const int IPV6_ADD_MEMBERSHIP = 20;
    public const int IPV6_MULTICAST_ALL = 29;
    public const int IPV6_RECVERR = 25;
    public const byte SO_EE_ORIGIN_TIMESTAMPING = 4;
    public const int ENOMSG = 42;

    public const int F_SETFD = 2;
    public const int F_GETFL = 3;
    public const int F_SETFL = 4;
    public const int FD_CLOEXEC = 1;
    public const int O_NONBLOCK = 0x800;

    public const short POLLIN = 0x1;

    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EPERM = 1;
    public const int EADDRINUSE = 98;
    public const int EACCES = 13;
    public const int EBADF = 9;
    public const int ENOSYS = 38;

    public const int CLOCK_REALTIME = 0;
    public const int CLOCK_MONOTONIC = 1;

    public const int MSG_DONTWAIT = 0x40;
    public const int MSG_CTRUNC = 0x8;
    public const int MSG_TRUNC = 0x20;
    public const int MSG_ERRQUEUE = 0x2000;

#pragma warning disable CA2255 // Reason: the resolver must be installed before the first P/Invoke of this assembly.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void InstallResolver()
    {
        // Under NativeAOT DirectPInvoke binds "libc" at link time and this resolver is never asked.
        NativeLibrary.SetDllImportResolver(typeof(Libc).Assembly, Resolve);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == Name ? NativeLibrary.GetMainProgramHandle() : IntPtr.Zero;

    /// <summary>errno of the last failed call marked SetLastError.</summary>
    public static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>strerror text for an errno ("Permission denied").</summary>
    public static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
