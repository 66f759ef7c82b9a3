// gettid(2) and tgkill(2): the event loop's thread id, and a signal sent to that one thread. When a
// stop signal landed while the loop was busy, so its poll() was not interrupted, the stop callback
// sends the same signal to the loop thread once the loop waits again (ShutdownSignals).
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

internal static partial class ThreadSignalCalls
{
    [LibraryImport(Libc.Name, EntryPoint = "gettid")]
    public static partial int GetTid();

    [LibraryImport(Libc.Name, EntryPoint = "tgkill", SetLastError = true)]
    public static partial int TgKill(int processId, int threadId, int signal);
}
