// ProtocolEvents: the protocol events ntpd 4.2.8 reports (system events such as restart, clock_step
// and clock_sync; association events such as mobilize, reachable, unreachable and sys_peer), their
// codes and names as ntpq and the protostats file show them, and the per-owner tally that feeds the
// low byte of the status words. Counting follows ntpd: for the system, a different event starts the
// count again and a sixteenth report in a row of the same event is dropped; for an association, a
// repeat of its last event starts the count again and, after fifteen reports of changing events,
// further reports are dropped until an event repeats. Each kept report becomes a protostats record.
namespace Stratum.Engine.Control;

/// <summary>Event codes (the low four bits of a status word) and their names.</summary>
public static class ProtocolEvents
{
    /// <summary>Set in a reported code for an association's event (ntpd's PEER_EVENT).</summary>
    public const byte PeerEventFlag = 0x80;

    public const byte FrequencyNotSet = 1;
    public const byte FrequencySet = 2;
    public const byte SpikeDetect = 3;
    public const byte FrequencyMode = 4;
    public const byte ClockSync = 5;
    public const byte Restart = 6;
    public const byte PanicStop = 7;
    public const byte NoSystemPeer = 8;
    public const byte LeapArmed = 9;
    public const byte LeapDisarmed = 10;
    public const byte LeapEvent = 11;
    public const byte ClockStep = 12;
    public const byte Kernel = 13;

    public const byte Mobilize = 1;
    public const byte Demobilize = 2;
    public const byte Unreachable = 3;
    public const byte Reachable = 4;
    public const byte RateExceeded = 7;
    public const byte SystemPeer = 10;
    public const byte BadAuthentication = 12;
    public const byte InterleaveMode = 14;

    /// <summary>Most reports an owner's counter holds (four bits).</summary>
    public const byte MaxEvents = 15;

    private static readonly string[] SystemNames =
    [
        "unspecified", "freq_not_set", "freq_set", "spike_detect", "freq_mode", "clock_sync", "restart", "panic_stop",
        "no_sys_peer", "leap_armed", "leap_disarmed", "leap_event", "clock_step", "kern", "TAI", "stale_leapsecond_values",
    ];

    private static readonly string[] PeerNames =
    [
        "", "mobilize", "demobilize", "unreachable", "reachable", "restart", "no_reply", "rate_exceeded",
        "access_denied", "leap_armed", "sys_peer", "clock_event", "bad_auth", "popcorn", "interleave_mode", "interleave_error",
    ];

    /// <summary>The name of a reported code: an association's when <see cref="PeerEventFlag"/> is set.</summary>
    public static string Name(byte code) =>
        (code & PeerEventFlag) != 0 ? PeerNames[code & 0xF] : SystemNames[code & 0xF];
}

/// <summary>One owner's event counter and last event (the system's or an association's).</summary>
public sealed class EventTally
{
    /// <summary>Reports counted (0–15).</summary>
    public byte Count { get; private set; }

    /// <summary>The last event reported (without <see cref="ProtocolEvents.PeerEventFlag"/>).</summary>
    public byte LastEvent { get; private set; }

    /// <summary>Counts a system event; false when it is dropped.</summary>
    public bool TryCountSystem(byte code)
    {
        if (LastEvent != code)
        {
            Count = 0;
        }

        return Take(code);
    }

    /// <summary>Counts an association's event (code without the flag); false when it is dropped.</summary>
    public bool TryCountPeer(byte code)
    {
        if (LastEvent == code)
        {
            Count = 0;
        }

        return Take(code);
    }

    private bool Take(byte code)
    {
        if (Count >= ProtocolEvents.MaxEvents)
        {
            return false;
        }

        LastEvent = code;
        Count++;
        return true;
    }
}
