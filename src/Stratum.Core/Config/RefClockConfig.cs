// RefClockConfig: a reference clock, declared by "server 127.127.T.U" and tuned by
// "fudge 127.127.T.U ..." (ntpd 4.2.8 refclock.html, "Reference Clock Commands"). T is the driver
// type, U the unit. Only type 1 (LOCAL, the undisciplined local clock) is implemented; other
// types are parsed and warned about so the Engine can skip them.
namespace Stratum.Core.Config;

/// <summary>A configured reference clock with its fudge values merged in.</summary>
/// <param name="DriverType">T of 127.127.T.U; 1 is the local clock.</param>
/// <param name="Unit">U of 127.127.T.U.</param>
/// <param name="Prefer"><c>prefer</c> on the server line.</param>
/// <param name="MinPoll">log2 of the poll interval in seconds (default 6).</param>
/// <param name="MaxPoll">log2 of the longest poll interval in seconds (default 10).</param>
/// <param name="Line">Line of the server directive, for messages.</param>
/// <param name="Stratum"><c>fudge stratum</c> (0..15), or null for the driver's default.</param>
/// <param name="Time1"><c>fudge time1</c>: a time offset in seconds added to the clock's readings.</param>
/// <param name="Time2"><c>fudge time2</c>: a driver-specific second offset in seconds.</param>
/// <param name="RefId"><c>fudge refid</c>: 1 to 4 ASCII characters, or null for the driver's default.</param>
/// <param name="Flag1"><c>fudge flag1 1</c>: driver-specific.</param>
/// <param name="Flag2"><c>fudge flag2 1</c>: driver-specific.</param>
/// <param name="Flag3"><c>fudge flag3 1</c>: driver-specific.</param>
/// <param name="Flag4"><c>fudge flag4 1</c>: driver-specific.</param>
public sealed record RefClockConfig(
    byte DriverType,
    byte Unit,
    bool Prefer,
    sbyte MinPoll,
    sbyte MaxPoll,
    int Line,
    byte? Stratum,
    double Time1,
    double Time2,
    string? RefId,
    bool Flag1,
    bool Flag2,
    bool Flag3,
    bool Flag4)
{
    /// <summary>Driver type of the local clock (ntpd's LOCAL driver, refid LOCL).</summary>
    public const byte LocalClockDriverType = 1;

    /// <summary>Driver type of the shared memory driver (ntpd's SHM, fed by gpsd and others).</summary>
    public const byte SharedMemoryDriverType = 28;

    /// <summary>Driver type of the NMEA GPS driver (ntpd's GPS_NMEA, a receiver on /dev/gpsU).</summary>
    public const byte NmeaDriverType = 20;

    /// <summary>Driver type of the PPS driver (ntpd's PPS, the kernel PPS API on /dev/ppsU).</summary>
    public const byte PpsDriverType = 22;

    /// <summary><c>noselect</c> on the server line.</summary>
    public bool NoSelect { get; init; }

    /// <summary><c>true</c> on the server line.</summary>
    public bool True { get; init; }

    /// <summary><c>mode N</c> on the server line: a driver-specific mode, or null.</summary>
    public int? Mode { get; init; }

    /// <summary>True for the local clock driver (type 1).</summary>
    public bool IsLocalClock => DriverType == LocalClockDriverType;

    /// <summary>The pseudo address, "127.127.T.U".</summary>
    public string Address => FormattableString.Invariant($"127.127.{DriverType}.{Unit}");
}
