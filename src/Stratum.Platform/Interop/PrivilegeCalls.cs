// PrivilegeCalls: the libc calls that give up root (ntpd -u/-i): user and group lookups, chroot,
// setgroups/setresgid/setresuid (glibc applies these to every thread of the process), and the
// per-thread capability calls capget/capset with prctl's keep-capabilities and no-new-privileges
// flags. Layouts are glibc's on LP64 Linux (x86-64, arm64).
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

internal static partial class PrivilegeCalls
{
    public const int PR_SET_KEEPCAPS = 8;
    public const int PR_SET_NO_NEW_PRIVS = 38;
    public const uint LinuxCapabilityVersion3 = 0x20080522;
    public const int CAP_NET_BIND_SERVICE = 10;
    public const int CAP_SYS_TIME = 25;
    public const int W_OK = 2;
    public const int ERANGE = 34;

    /// <summary>struct passwd (glibc, LP64): the fields we read.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Passwd
    {
        public nint Name;
        public nint Password;
        public uint UserId;
        public uint GroupId;
        public nint Gecos;
        public nint Directory;
        public nint Shell;
    }

    /// <summary>struct group (glibc, LP64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Group
    {
        public nint Name;
        public nint Password;
        public uint GroupId;
        public nint Members;
    }

    /// <summary>struct __user_cap_header_struct.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct CapabilityHeader
    {
        public uint Version;
        public int ProcessId;
    }

    /// <summary>struct __user_cap_data_struct (two of them for 64 capability bits).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct CapabilityData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    [LibraryImport(Libc.Name, EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int GetPasswordEntryByName(string name, Passwd* entry, byte* buffer, nuint bufferLength, Passwd** result);

    [LibraryImport(Libc.Name, EntryPoint = "getpwuid_r")]
    public static unsafe partial int GetPasswordEntryById(uint userId, Passwd* entry, byte* buffer, nuint bufferLength, Passwd** result);

    [LibraryImport(Libc.Name, EntryPoint = "getgrnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int GetGroupEntryByName(string name, Group* entry, byte* buffer, nuint bufferLength, Group** result);

    [LibraryImport(Libc.Name, EntryPoint = "chroot", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ChangeRoot(string path);

    [LibraryImport(Libc.Name, EntryPoint = "chdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ChangeDirectory(string path);

    [LibraryImport(Libc.Name, EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Access(string path, int mode);

    [LibraryImport(Libc.Name, EntryPoint = "setgroups", SetLastError = true)]
    public static unsafe partial int SetGroups(nuint count, uint* groups);

    [LibraryImport(Libc.Name, EntryPoint = "setresgid", SetLastError = true)]
    public static partial int SetResGid(uint real, uint effective, uint saved);

    [LibraryImport(Libc.Name, EntryPoint = "setresuid", SetLastError = true)]
    public static partial int SetResUid(uint real, uint effective, uint saved);

    [LibraryImport(Libc.Name, EntryPoint = "getuid")]
    public static partial uint GetUid();

    [LibraryImport(Libc.Name, EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUid();

    [LibraryImport(Libc.Name, EntryPoint = "getegid")]
    public static partial uint GetEffectiveGid();

    [LibraryImport(Libc.Name, EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, nuint argument2, nuint argument3, nuint argument4, nuint argument5);

    [LibraryImport(Libc.Name, EntryPoint = "capget", SetLastError = true)]
    public static unsafe partial int CapGet(CapabilityHeader* header, CapabilityData* data);

    [LibraryImport(Libc.Name, EntryPoint = "capset", SetLastError = true)]
    public static unsafe partial int CapSet(CapabilityHeader* header, CapabilityData* data);
}
