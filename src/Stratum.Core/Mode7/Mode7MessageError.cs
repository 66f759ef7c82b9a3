// Mode7MessageError: why a datagram is not a well-formed mode 7 message. Mode7Message.TryRead
// returns one of these instead of throwing; responders drop such datagrams, clients ignore them.
namespace Stratum.Core.Mode7;

/// <summary>Reasons <see cref="Mode7Message.TryRead"/> rejects a datagram.</summary>
public enum Mode7MessageError : byte
{
    None = 0,
    /// <summary>Fewer than the 8 header octets.</summary>
    TooShort,
    /// <summary>The mode field is not 7.</summary>
    WrongMode,
    /// <summary>Version 0 or above 4.</summary>
    BadVersion,
    /// <summary>Item count × item size exceeds the data present or a response's 500 octets.</summary>
    BadLength,
    /// <summary>The must-be-zero bits are set.</summary>
    NonZeroReserved,
}
