// LeapSecondEntry: one data line of leap-seconds.list: from this instant (seconds since
// 1900-01-01 00:00:00 UTC, the NTP prime epoch) on, TAI-UTC is this many seconds. The instant is
// 00:00:00 UTC of the day after a leap second; the first entry (1 Jan 1972, 10 s) is the start
// of integral-second UTC, not a leap.
namespace Stratum.Core.Leap;

/// <summary>TAI-UTC in force from <paramref name="SecondsSince1900"/> on.</summary>
/// <param name="SecondsSince1900">NTP seconds, era-independent (not reduced modulo 2^32).</param>
/// <param name="TaiOffset">TAI-UTC in seconds.</param>
/// <param name="Line">Line of the file it was read from.</param>
public readonly record struct LeapSecondEntry(long SecondsSince1900, int TaiOffset, int Line);
