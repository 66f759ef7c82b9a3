// Mode7Header: the 8-octet header of an ntpd mode 7 ("private") message (ntpd 4.2.8 ntp_request.h
// struct req_pkt / resp_pkt). Requests carry the A (authenticated) bit and a 7-bit sequence in the
// second octet; responses carry R and M (more) in the first octet and the fragment sequence in the
// second. Only the fields; Mode7Message reads and writes them.
namespace Stratum.Core.Mode7;

/// <summary>One mode 7 header.</summary>
public readonly record struct Mode7Header(
    bool IsResponse,
    bool HasMore,
    byte Version,
    bool Authenticated,
    byte Sequence,
    Mode7Implementation Implementation,
    Mode7RequestCode Request,
    Mode7ErrorCode Error,
    ushort ItemCount,
    ushort ItemSize)
{
    /// <summary>A request header as ntpdc sends it (version 2, not authenticated).</summary>
    public static Mode7Header ForRequest(Mode7Implementation implementation, Mode7RequestCode request, ushort itemCount = 0, ushort itemSize = 0) =>
        new(false, false, 2, false, 0, implementation, request, Mode7ErrorCode.None, itemCount, itemSize);
}
