// statx(2) without following a final symbolic link (AT_SYMLINK_NOFOLLOW): the type, mode, owner and
// inode of a path, for the checks before the daemon reuses or replaces a name (is the stale drift
// temporary a regular file of ours? is the statistics link a link?). statx rather than lstat because
// struct statx has one layout on every Linux architecture (struct stat does not), and glibc has
// exported it since 2.28, where lstat became a real symbol only in 2.33.
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

/// <summary>The fields of struct statx the daemon reads; the kernel writes all 256 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct FileStatus
{
    [FieldOffset(0)]
    public uint Mask;

    [FieldOffset(20)]
    public uint UserId;

    [FieldOffset(24)]
    public uint GroupId;

    [FieldOffset(28)]
    public ushort Mode;

    [FieldOffset(32)]
    public ulong Inode;

    /// <summary>stx_dev_major and stx_dev_minor: the device holding the file.</summary>
    [FieldOffset(136)]
    public uint DeviceMajor;

    [FieldOffset(140)]
    public uint DeviceMinor;

    /// <summary>The device as glibc's dev_t (makedev), as fstat's st_dev reads.</summary>
    public readonly ulong Device =>
        ((ulong)(DeviceMajor & 0xFFFFF000) << 32) | ((ulong)(DeviceMajor & 0xFFF) << 8) | ((ulong)(DeviceMinor & 0xFFFFFF00) << 12) | (DeviceMinor & 0xFF);

    /// <summary>S_IFMT bits of <see cref="Mode"/>.</summary>
    public readonly int Type => Mode & 0xF000;

    public readonly bool IsRegularFile => Type == 0x8000;

    public readonly bool IsSymbolicLink => Type == 0xA000;

    public readonly bool IsDirectory => Type == 0x4000;
}

internal static unsafe partial class FileStatusCall
{
    private const int AT_FDCWD = -100;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;

    /// <summary>STATX_TYPE | STATX_MODE | STATX_UID | STATX_GID | STATX_INO.</summary>
    private const uint Wanted = 0x1 | 0x2 | 0x8 | 0x10 | 0x100;

    [LibraryImport(Libc.Name, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, FileStatus* status);

    private const int AT_EMPTY_PATH = 0x1000;

    /// <summary>The status of open file descriptor <paramref name="fd"/>; false with errno set.</summary>
    public static bool TryGet(int fd, out FileStatus status)
    {
        status = default;
        fixed (FileStatus* pointer = &status)
        {
            return Statx(fd, string.Empty, AT_EMPTY_PATH, Wanted, pointer) == 0;
        }
    }

    /// <summary>The status of <paramref name="path"/> itself (a link is not followed); false with errno set.</summary>
    public static bool TryGet(string path, out FileStatus status)
    {
        status = default;
        fixed (FileStatus* pointer = &status)
        {
            return Statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, Wanted, pointer) == 0;
        }
    }
}
