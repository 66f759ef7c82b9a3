// SystemStatusWord: the 16-bit system status a mode 6 response carries for association 0
// (RFC 1305 appendix B.2.1; ntpd 4.2.8 ntp_control.h CTL_SYS_STATUS): leap indicator (2 bits),
// clock source (6 bits, CTL_SST_TS_*), event counter (4 bits), last event code (4 bits).
using Stratum.Core.Wire;

namespace Stratum.Core.Mode6;

/// <summary>Decoded system status word.</summary>
public readonly record struct SystemStatusWord(LeapIndicator Leap, byte ClockSource, byte EventCount, byte EventCode)
{
    /// <summary>CTL_SST_TS_UNSPEC: no synchronization source.</summary>
    public const byte SourceUnspecified = 0;

    /// <summary>CTL_SST_TS_LOCAL: the local clock driver.</summary>
    public const byte SourceLocal = 5;

    /// <summary>CTL_SST_TS_NTP: an NTP server.</summary>
    public const byte SourceNtp = 6;

    /// <summary>EVNT_SYSRESTART (ntpq "restart").</summary>
    public const byte EventRestart = 6;

    /// <summary>EVNT_SYNCCHG (ntpq "clock_sync").</summary>
    public const byte EventClockSync = 5;

    public ushort Encode() => (ushort)((((byte)Leap & 0x3) << 14) | ((ClockSource & 0x3F) << 8) | ((EventCount & 0xF) << 4) | (EventCode & 0xF));

    public static SystemStatusWord Decode(ushort status) =>
        new((LeapIndicator)(status >> 14), (byte)((status >> 8) & 0x3F), (byte)((status >> 4) & 0xF), (byte)(status & 0xF));
}
