// ReceiveTimestampParser: finds the kernel receive timestamp among the control messages of one
// received datagram (ARCHITECTURE.md §4: control messages parsed in one place). SO_TIMESTAMPING
// delivers SCM_TIMESTAMPING with three timespecs, the software stamp first; SO_TIMESTAMPNS delivers
// SCM_TIMESTAMPNS with one. A malformed or truncated chain ends the walk: no stamp is normal and the
// caller reads the clock instead. Used by UdpSocket (recvmsg) and ReceiveBatch (recvmmsg); the
// transmit stamps of the error queue (TransmitStampQueue) are parsed here too.
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

    /// <summary>A transmit stamp read back from a socket's error queue: the software stamp (SCM_TIMESTAMPING's
    /// first timespec) and the OPT_ID number (the extended error's ee_data, origin SO_EE_ORIGIN_TIMESTAMPING);
    /// false when the message carries no such pair.</summary>
    public static bool TryFindTransmitStamp(byte* control, nuint length, out long stamp, out uint id)
    {
        stamp = 0;
        id = 0;
        bool haveId = false;
        nuint offset = 0;
        int headerSize = sizeof(ControlMessageHeader);
        while (offset + (nuint)headerSize <= length)
        {
            var cmsg = (ControlMessageHeader*)(control + offset);
            if (cmsg->Length < (nuint)headerSize || offset + cmsg->Length > length)
            {
                break;
            }

            byte* data = (byte*)cmsg + headerSize;
            if (cmsg->Level == Libc.SOL_SOCKET && cmsg->Type == Libc.SCM_TIMESTAMPING && cmsg->Length >= (nuint)(headerSize + sizeof(Timespec)))
            {
                stamp = ((Timespec*)data)->TotalNanoseconds;
            }
            else if (((cmsg->Level == Libc.IPPROTO_IP && cmsg->Type == Libc.IP_RECVERR)
                      || (cmsg->Level == Libc.IPPROTO_IPV6 && cmsg->Type == Libc.IPV6_RECVERR))
                     && cmsg->Length >= (nuint)(headerSize + 16))
            {
                // struct sock_extended_err: ee_errno (4), ee_origin, ee_type, ee_code, ee_pad, ee_info (4), ee_data (4).
                if (*(uint*)data == Libc.ENOMSG && data[4] == Libc.SO_EE_ORIGIN_TIMESTAMPING)
                {
                    id = *(uint*)(data + 12);
                    haveId = true;
                }
            }

            offset += (cmsg->Length + 7) & ~(nuint)7;
        }

        return haveId && stamp != 0;
    }
}
