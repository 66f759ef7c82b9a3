// poll(2) and struct pollfd (8 bytes): the event loop's only wait (ARCHITECTURE.md §4).
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

[StructLayout(LayoutKind.Sequential)]
internal struct PollDescriptor
{
    public int Fd;
    public short Events;
    public short ReturnedEvents;
}

internal static unsafe partial class PollCall
{
    [LibraryImport(Libc.Name, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);
}
