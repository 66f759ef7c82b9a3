// getrandom(2): bytes from the kernel's CSPRNG. The daemon's random source uses it directly rather
// than RandomNumberGenerator, which on Linux loads OpenSSL (libssl + libcrypto, about 3.7 MB of
// resident pages) at the first call — before any client is served — for eight bytes at a time.
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

internal static unsafe partial class RandomCalls
{
    [LibraryImport(Libc.Name, EntryPoint = "getrandom", SetLastError = true)]
    public static partial nint GetRandom(void* buffer, nuint length, uint flags);
}
