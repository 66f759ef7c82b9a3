// System V shared memory (shmget(2), shmat(2), shmdt(2), shmctl(2)) for the SHM reference clock
// driver: the segment gpsd, chronyd's and ntpd's SHM drivers and other time sources share.
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

internal static unsafe partial class SharedMemoryCalls
{
    /// <summary>IPC_CREAT: create the segment when the key has none.</summary>
    public const int Create = 0x200;

    /// <summary>IPC_RMID: remove the segment once every process has detached (tests only).</summary>
    public const int Remove = 0;

    [LibraryImport(Libc.Name, EntryPoint = "shmget", SetLastError = true)]
    public static partial int Get(int key, nuint size, int flags);

    [LibraryImport(Libc.Name, EntryPoint = "shmat", SetLastError = true)]
    public static partial nint Attach(int id, nint address, int flags);

    [LibraryImport(Libc.Name, EntryPoint = "shmdt", SetLastError = true)]
    public static partial int Detach(nint address);

    [LibraryImport(Libc.Name, EntryPoint = "shmctl", SetLastError = true)]
    public static partial int Control(int id, int command, nint buffer);
}
