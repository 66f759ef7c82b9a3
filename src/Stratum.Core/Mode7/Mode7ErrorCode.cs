// Mode7ErrorCode: the 4-bit error of a mode 7 response (ntp_request.h INFO_ERR_*), carried in the
// top bits of the err_nitems field. Values are wire values.
namespace Stratum.Core.Mode7;

/// <summary>INFO_OK and INFO_ERR_* codes.</summary>
public enum Mode7ErrorCode : byte
{
    None = 0,
    /// <summary>INFO_ERR_IMPL: implementation number not supported.</summary>
    Implementation = 1,
    /// <summary>INFO_ERR_REQ: request code not known or not served.</summary>
    Request = 2,
    /// <summary>INFO_ERR_FMT: the request was malformed.</summary>
    Format = 3,
    /// <summary>INFO_ERR_NODATA: no data for the request.</summary>
    NoData = 4,
    /// <summary>INFO_ERR_AUTH: authentication required or failed.</summary>
    Authentication = 7,
}
