// open(2), write(2), fsync(2), fchmod(2), close(2), rename(2), unlink(2), symlink(2) and geteuid(2):
// the calls behind the daemon's own files (drift, pid, statistics and log files, the statistics
// link). They exist because .NET's file API cannot say O_NOFOLLOW: the daemon runs as root, and a
// path it writes must never lead it, through a symbolic link someone planted, to another file.
// Flag values are Linux's; O_DIRECTORY and O_NOFOLLOW differ between x86-64 (the generic values)
// and arm64.
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

internal static unsafe partial class FileCalls
{
    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_NOCTTY = 0x100;
    public const int O_APPEND = 0x400;
    public const int O_CLOEXEC = 0x80000;

    public const int EEXIST = 17;
    public const int ELOOP = 40;
    public const int ENOENT = 2;
    public const int EINVAL = 22;

    /// <summary>O_NOFOLLOW: fail with ELOOP when the last component of the path is a symbolic link.</summary>
    public static int O_NOFOLLOW => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    /// <summary>O_DIRECTORY: fail unless the path is a directory.</summary>
    public static int O_DIRECTORY => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;

    [LibraryImport(Libc.Name, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags, uint mode);

    [LibraryImport(Libc.Name, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc.Name, EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport(Libc.Name, EntryPoint = "fchmod", SetLastError = true)]
    public static partial int Fchmod(int fd, uint mode);

    [LibraryImport(Libc.Name, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Libc.Name, EntryPoint = "rename", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Rename(string oldPath, string newPath);

    [LibraryImport(Libc.Name, EntryPoint = "unlink", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Unlink(string path);

    [LibraryImport(Libc.Name, EntryPoint = "symlink", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Symlink(string target, string linkPath);

    [LibraryImport(Libc.Name, EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();
}
