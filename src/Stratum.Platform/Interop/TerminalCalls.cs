// TerminalCalls: termios(3) for the serial line of a GPS receiver (the NMEA reference clock) and the
// pseudo-terminal calls its tests feed it through. struct termios is handled as 64 raw bytes at the
// offsets of Linux x86-64 and arm64 glibc: c_iflag 0, c_oflag 4, c_cflag 8, c_lflag 12, c_line 16,
// c_cc 17..48, c_ispeed 52, c_ospeed 56; cfsetispeed/cfsetospeed set the speeds.
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

internal static unsafe partial class TerminalCalls
{
    public const int TermiosSize = 64;
    public const int InputFlagsOffset = 0;
    public const int OutputFlagsOffset = 4;
    public const int ControlFlagsOffset = 8;
    public const int LocalFlagsOffset = 12;

    public const uint IGNPAR = 0x4;
    public const uint ICANON = 0x2;
    public const uint CS8 = 0x30;
    public const uint CREAD = 0x80;
    public const uint CLOCAL = 0x800;
    public const int TCSANOW = 0;
    public const int O_RDWR = 2;
    public const int O_NOCTTY = 0x100;
    public const int O_CLOEXEC = 0x80000;

    /// <summary>The Bnnnn constant for a line speed, or 0 when termios has none.</summary>
    public static uint SpeedConstant(int bitsPerSecond) => bitsPerSecond switch
    {
        4800 => 0xC,
        9600 => 0xD,
        19200 => 0xE,
        38400 => 0xF,
        57600 => 0x1001,
        115200 => 0x1002,
        _ => 0,
    };

    [LibraryImport(Libc.Name, EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int GetAttributes(int fd, byte* termios);

    [LibraryImport(Libc.Name, EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int SetAttributes(int fd, int when, byte* termios);

    [LibraryImport(Libc.Name, EntryPoint = "cfsetispeed", SetLastError = true)]
    public static partial int SetInputSpeed(byte* termios, uint speed);

    [LibraryImport(Libc.Name, EntryPoint = "cfsetospeed", SetLastError = true)]
    public static partial int SetOutputSpeed(byte* termios, uint speed);

    [LibraryImport(Libc.Name, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc.Name, EntryPoint = "posix_openpt", SetLastError = true)]
    public static partial int OpenPseudoTerminal(int flags);

    [LibraryImport(Libc.Name, EntryPoint = "grantpt", SetLastError = true)]
    public static partial int Grant(int fd);

    [LibraryImport(Libc.Name, EntryPoint = "unlockpt", SetLastError = true)]
    public static partial int Unlock(int fd);

    [LibraryImport(Libc.Name, EntryPoint = "ptsname_r", SetLastError = true)]
    public static partial int PseudoTerminalName(int fd, byte* buffer, nuint length);
}
