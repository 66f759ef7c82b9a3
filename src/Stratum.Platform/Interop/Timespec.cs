// Timespec: struct timespec (LP64: two 64-bit fields), as returned by clock_gettime and carried in
// SCM_TIMESTAMPNS / SCM_TIMESTAMPING control messages.
using System.Runtime.InteropServices;

namespace Stratum.Platform.Interop;

[StructLayout(LayoutKind.Sequential)]
internal struct Timespec
{
    public long Seconds;
    public long Nanoseconds;

    public readonly long TotalNanoseconds => (Seconds * 1_000_000_000) + Nanoseconds;
}
