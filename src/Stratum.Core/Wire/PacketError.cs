// PacketError: why a datagram is not a valid NTP packet. The parser returns one of these instead of
// throwing; the server counts drops by this value (ntpq sysstats-like counters).
namespace Stratum.Core.Wire;

/// <summary>Typed reasons a datagram fails to parse as an NTP time packet.</summary>
public enum PacketError : byte
{
    None = 0,
    /// <summary>Shorter than the 48-byte header.</summary>
    TooShort,
    /// <summary>Longer than any NTP packet we accept.</summary>
    TooLong,
    /// <summary>Length not a multiple of 4 (RFC 7822 §3 requires 32-bit alignment).</summary>
    Misaligned,
    /// <summary>Version 0 or 5–7.</summary>
    UnsupportedVersion,
    /// <summary>Mode 6 or 7: a control message, parsed by Mode6/Mode7, not here.</summary>
    ControlMode,
    /// <summary>An extension field's length is below 16, not a multiple of 4, or overruns the packet.</summary>
    BadExtensionField,
    /// <summary>What follows the header and extensions is not a MAC of a known size.</summary>
    BadMacLength,
    /// <summary>Extension fields in a packet older than NTPv4.</summary>
    ExtensionInOldVersion,
}
