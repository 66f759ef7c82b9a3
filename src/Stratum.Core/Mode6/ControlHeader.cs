// ControlHeader: the 12-octet header of a mode 6 control message (RFC 1305 appendix B.1,
// draft-ietf-ntp-mode-6-cmds §3). Only the fields; ControlMessage reads and writes them. ntpd puts
// its system leap indicator in the LI bits of responses; requests carry 0.
using Stratum.Core.Wire;

namespace Stratum.Core.Mode6;

/// <summary>One mode 6 header. <see cref="Status"/> holds the error code in its high byte when <see cref="IsError"/>.</summary>
public readonly record struct ControlHeader(
    byte Version,
    bool IsResponse,
    bool IsError,
    bool HasMore,
    ControlOpcode Opcode,
    ushort Sequence,
    ushort Status,
    ushort AssociationId,
    ushort Offset,
    ushort Count)
{
    /// <summary>LI bits of the first octet (responses: the server's leap indicator).</summary>
    public LeapIndicator Leap { get; init; }

    /// <summary>The error code of an error response (status high byte).</summary>
    public ControlErrorCode ErrorCode => (ControlErrorCode)(Status >> 8);

    /// <summary>A request header (R=0) as ntpq sends it.</summary>
    public static ControlHeader Request(ControlOpcode opcode, ushort sequence, ushort associationId, ushort count, byte version = 2) =>
        new(version, false, false, false, opcode, sequence, 0, associationId, 0, count);
}
