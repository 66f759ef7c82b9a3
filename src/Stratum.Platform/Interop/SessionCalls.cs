// setsid(2): a detached ntpd child becomes the leader of a new session, without a terminal.
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

internal static partial class SessionCalls
{
    [LibraryImport(Libc.Name, EntryPoint = "setsid", SetLastError = true)]
    public static partial int SetSid();
}
