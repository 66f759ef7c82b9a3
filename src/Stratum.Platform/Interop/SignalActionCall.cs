// sigaction(2) and struct sigaction (152 bytes with glibc on Linux x86-64/arm64: handler, 1024-bit
// mask, flags, restorer). ntpd reads the disposition of its stop signals and, for one the process
// inherited as ignored, installs the handler the runtime installed for the others (ShutdownSignals).
// Only dispositions are read and copied here; no handler of ours runs in signal context.
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SignalAction
{
    /// <summary>sa_handler / sa_sigaction (a union): SIG_DFL, SIG_IGN or a function.</summary>
    public nint Handler;

    /// <summary>sa_mask: glibc's sigset_t, 1024 bits.</summary>
    public fixed ulong Mask[16];

    public int Flags;

    public nint Restorer;
}

internal static unsafe partial class SignalActionCall
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGTERM = 15;

    /// <summary>SIG_DFL: the signal's default action.</summary>
    public const nint DefaultHandler = 0;

    /// <summary>SIG_IGN: the signal is discarded.</summary>
    public const nint IgnoreHandler = 1;

    [LibraryImport(Libc.Name, EntryPoint = "sigaction", SetLastError = true)]
    public static partial int SigAction(int signal, SignalAction* action, SignalAction* previous);
}
