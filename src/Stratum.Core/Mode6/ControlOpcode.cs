// ControlOpcode: the 5-bit operation code of a mode 6 control message (RFC 1305 appendix B.1;
// draft-ietf-ntp-mode-6-cmds §3.1; ntpd 4.2.8 ntp_control.h CTL_OP_*). Values are wire values.
namespace Stratum.Core.Mode6;

/// <summary>Mode 6 operation codes as ntpd 4.2.8 numbers them.</summary>
public enum ControlOpcode : byte
{
    Unspecified = 0,
    ReadStatus = 1,
    ReadVariables = 2,
    WriteVariables = 3,
    ReadClock = 4,
    WriteClock = 5,
    SetTrap = 6,
    AsyncMessage = 7,
    Configure = 8,
    SaveConfig = 9,
    ReadMru = 10,
    ReadOrderedList = 11,
    RequestNonce = 12,
    UnsetTrap = 31,
}
