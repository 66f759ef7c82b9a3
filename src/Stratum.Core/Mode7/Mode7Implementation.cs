// Mode7Implementation: the implementation number of a mode 7 packet (ntp_request.h IMPL_*). ntpdc
// asks IMPL_XNTPD first and falls back to IMPL_XNTPD_OLD when the server answers INFO_ERR_IMPL.
namespace Stratum.Core.Mode7;

/// <summary>Mode 7 implementation numbers.</summary>
public enum Mode7Implementation : byte
{
    Universal = 0,
    XntpdOld = 2,
    Xntpd = 3,
}
