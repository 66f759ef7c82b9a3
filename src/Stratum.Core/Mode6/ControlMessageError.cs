// ControlMessageError: why a datagram is not a well-formed mode 6 message. TryRead returns one of
// these instead of throwing; the responder drops such datagrams silently, as ntpd does.
namespace Stratum.Core.Mode6;

/// <summary>Reasons <see cref="ControlMessage.TryRead"/> rejects a datagram.</summary>
public enum ControlMessageError : byte
{
    None = 0,
    /// <summary>Fewer than 12 octets.</summary>
    TooShort,
    /// <summary>The mode field is not 6.</summary>
    WrongMode,
    /// <summary>Version 0 or above 4.</summary>
    BadVersion,
    /// <summary>The count field exceeds the data present or the 468-octet maximum.</summary>
    BadCount,
    /// <summary>Offset plus count exceeds the largest reassembled message.</summary>
    BadOffset,
}
