// System V shared memory (shmget(2), shmat(2), shmdt(2), shmctl(2)) for the SHM reference clock
// driver: the segment gpsd, chronyd's and ntpd's SHM drivers and other time sources share. The owner
// and mode of an existing segment come from shmctl(IPC_STAT) (struct shmid_ds, whose first member is
// struct ipc_perm: key, uid, gid, cuid, cgid as 32-bit values, then the mode; LP64 Linux).
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

internal static unsafe partial class SharedMemoryCalls
{
    /// <summary>IPC_CREAT: create the segment when the key has none.</summary>
    public const int Create = 0x200;

    /// <summary>IPC_EXCL: with IPC_CREAT, fail with EEXIST when the key already has a segment.</summary>
    public const int Exclusive = 0x400;

    /// <summary>IPC_RMID: remove the segment once every process has detached (tests only).</summary>
    public const int Remove = 0;

    /// <summary>IPC_SET: change owner and mode from a shmid_ds (tests only).</summary>
    public const int Set = 1;

    /// <summary>IPC_STAT: read the segment's shmid_ds.</summary>
    public const int Stat = 2;

    /// <summary>EEXIST.</summary>
    public const int AlreadyExists = 17;

    /// <summary>Bytes reserved for struct shmid_ds (112 on LP64 Linux).</summary>
    public const int StatusSize = 256;

    private const int UserIdOffset = 4;
    private const int CreatorUserIdOffset = 12;
    private const int ModeOffset = 20;

    [LibraryImport(Libc.Name, EntryPoint = "shmget", SetLastError = true)]
    public static partial int Get(int key, nuint size, int flags);

    [LibraryImport(Libc.Name, EntryPoint = "shmat", SetLastError = true)]
    public static partial nint Attach(int id, nint address, int flags);

    [LibraryImport(Libc.Name, EntryPoint = "shmdt", SetLastError = true)]
    public static partial int Detach(nint address);

    [LibraryImport(Libc.Name, EntryPoint = "shmctl", SetLastError = true)]
    public static partial int Control(int id, int command, nint buffer);

    /// <summary>Owner, creator and permission bits of segment <paramref name="id"/>; false with errno set.</summary>
    public static bool TryGetOwner(int id, out uint userId, out uint creatorUserId, out int mode)
    {
        byte* status = stackalloc byte[StatusSize];
        new Span<byte>(status, StatusSize).Clear();
        userId = creatorUserId = 0;
        mode = 0;
        if (Control(id, Stat, (nint)status) != 0)
        {
            return false;
        }

        var bytes = new ReadOnlySpan<byte>(status, StatusSize);
        userId = BinaryPrimitives.ReadUInt32LittleEndian(bytes[UserIdOffset..]);
        creatorUserId = BinaryPrimitives.ReadUInt32LittleEndian(bytes[CreatorUserIdOffset..]);
        // The mode is 16 bits in older glibc layouts and 32 in newer; the permission bits are the low ones.
        mode = BinaryPrimitives.ReadUInt16LittleEndian(bytes[ModeOffset..]) & 0x1FF;
        return true;
    }

    /// <summary>Gives segment <paramref name="id"/> a new owner and permission bits (tests: a segment
    /// that looks like another user's).</summary>
    public static bool TrySetOwner(int id, uint userId, int mode)
    {
        byte* status = stackalloc byte[StatusSize];
        new Span<byte>(status, StatusSize).Clear();
        if (Control(id, Stat, (nint)status) != 0)
        {
            return false;
        }

        var bytes = new Span<byte>(status, StatusSize);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[UserIdOffset..], userId);
        ushort oldMode = BinaryPrimitives.ReadUInt16LittleEndian(bytes[ModeOffset..]);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[ModeOffset..], (ushort)((oldMode & ~0x1FF) | (mode & 0x1FF)));
        return Control(id, Set, (nint)status) == 0;
    }
}
