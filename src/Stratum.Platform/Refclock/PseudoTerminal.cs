// PseudoTerminal: a pseudo-terminal pair standing in for a reference clock's serial line — the
// driver opens the slave side by its name, as it would /dev/gpsU, and whoever holds the master side
// writes what a receiver would send. Used by the NMEA driver's tests (and meant for a simulated GPS);
// the daemon itself never creates one.
using System.Runtime.InteropServices;
using System.Text;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Refclock;

/// <summary>The master side of a pseudo-terminal, and its slave's path.</summary>
internal sealed unsafe class PseudoTerminal : IDisposable
{
    private int _master;

    private PseudoTerminal(int master, string slavePath)
    {
        _master = master;
        SlavePath = slavePath;
    }

    /// <summary>The slave side's device (/dev/pts/N).</summary>
    public string SlavePath { get; }

    /// <summary>A new pair; throws when the system has no pseudo-terminals to give.</summary>
    public static PseudoTerminal Open()
    {
        int master = TerminalCalls.OpenPseudoTerminal(TerminalCalls.O_RDWR | TerminalCalls.O_NOCTTY | TerminalCalls.O_CLOEXEC);
        if (master < 0)
        {
            throw new IOException($"posix_openpt: {Libc.ErrorText(Libc.LastError)}");
        }

        byte* name = stackalloc byte[128];
        if (TerminalCalls.Grant(master) < 0 || TerminalCalls.Unlock(master) < 0 || TerminalCalls.PseudoTerminalName(master, name, 128) != 0)
        {
            int errno = Libc.LastError;
            _ = FileCalls.Close(master);
            throw new IOException($"pseudo-terminal setup: {Libc.ErrorText(errno)}");
        }

        return new PseudoTerminal(master, Marshal.PtrToStringUTF8((nint)name)!);
    }

    /// <summary>Writes <paramref name="text"/> (ASCII) as the receiver would.</summary>
    public void Write(string text)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        fixed (byte* data = bytes)
        {
            if (FileCalls.Write(_master, data, (nuint)bytes.Length) != bytes.Length)
            {
                throw new IOException($"pseudo-terminal write: {Libc.ErrorText(Libc.LastError)}");
            }
        }
    }

    public void Dispose()
    {
        if (_master >= 0)
        {
            _ = FileCalls.Close(_master);
            _master = -1;
        }
    }
}
