// ControlErrorCode: the error code a mode 6 error response carries in the high byte of its status
// field (draft-ietf-ntp-mode-6-cmds §3.3; ntpd 4.2.8 ntp_control.h CERR_*). Values are wire values.
namespace Stratum.Core.Mode6;

/// <summary>Mode 6 error codes (CERR_*).</summary>
public enum ControlErrorCode : byte
{
    Unspecified = 0,
    /// <summary>CERR_PERMISSION: authentication required or refused.</summary>
    Permission = 1,
    /// <summary>CERR_BADFMT: the request was malformed.</summary>
    BadFormat = 2,
    /// <summary>CERR_BADOP: unknown opcode.</summary>
    BadOpcode = 3,
    /// <summary>CERR_BADASSOC: no such association.</summary>
    BadAssociation = 4,
    /// <summary>CERR_UNKNOWNVAR: a requested variable is unknown.</summary>
    UnknownVariable = 5,
    /// <summary>CERR_BADVALUE: a written value was invalid.</summary>
    BadValue = 6,
    /// <summary>CERR_RESTRICT: refused by access restrictions.</summary>
    Restricted = 7,
}
