// NtpMode and LeapIndicator: the 3-bit and 2-bit fields of the first header byte (RFC 5905 §7.3).
namespace Stratum.Core.Wire;

/// <summary>Association mode (RFC 5905 §7.3 "Mode", figure 10).</summary>
public enum NtpMode : byte
{
    Reserved = 0,
    SymmetricActive = 1,
    SymmetricPassive = 2,
    Client = 3,
    Server = 4,
    Broadcast = 5,
    Control = 6,
    Private = 7,
}

/// <summary>Leap indicator (RFC 5905 §7.3 "LI", figure 9).</summary>
public enum LeapIndicator : byte
{
    NoWarning = 0,
    InsertSecond = 1,
    DeleteSecond = 2,
    /// <summary>Clock unsynchronized ("alarm").</summary>
    Unsynchronized = 3,
}
