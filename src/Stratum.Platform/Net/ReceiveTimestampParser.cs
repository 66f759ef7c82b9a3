// ReceiveTimestampParser: finds the kernel receive timestamp among the control messages of one
// received datagram (ARCHITECTURE.md §4: control messages parsed in one place). SO_TIMESTAMPING
// delivers SCM_TIMESTAMPING with three timespecs, the software stamp first; SO_TIMESTAMPNS delivers
// SCM_TIMESTAMPNS with one. A malformed or truncated chain ends the walk: no stamp is normal and the
// caller reads the clock instead. Used by UdpSocket (recvmsg) and ReceiveBatch (recvmmsg).
using Stratum.Platform.Interop;

namespace Stratum.Platform.Net;

internal static unsafe class ReceiveTimestampParser
{
    /// <summary>The CLOCK_REALTIME stamp in Unix ns, or 0 when the control data holds none.</summary>
    public static long Find(byte* control, nuint length)
    {
        nuint offset = 0;
        int headerSize = sizeof(ControlMessageHeader);
        while (offset + (nuint)headerSize <= length)
        {
            var cmsg = (ControlMessageHeader*)(control + offset);
            if (cmsg->Length < (nuint)headerSize || offset + cmsg->Length > length)
            {
                break;
            }

            if (cmsg->Level == Libc.SOL_SOCKET && cmsg->Length >= (nuint)(headerSize + sizeof(Timespec))
                && (cmsg->Type == Libc.SCM_TIMESTAMPING || cmsg->Type == Libc.SCM_TIMESTAMPNS))
            {
                var stamp = (Timespec*)((byte*)cmsg + headerSize);
                if (stamp->Seconds != 0 || stamp->Nanoseconds != 0)
                {
                    return stamp->TotalNanoseconds;
                }
            }

            offset += (cmsg->Length + 7) & ~(nuint)7;
        }

        return 0;
    }
}
