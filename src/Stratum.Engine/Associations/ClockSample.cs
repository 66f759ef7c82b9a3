// ClockSample: one on-wire measurement (RFC 5905 §8): offset theta = ((T2 − T1) + (T3 − T4)) / 2,
// delay delta = (T4 − T1) − (T3 − T2), dispersion epsilon = rho_local + rho_remote + PHI × (T4 − T1),
// plus the server's own root values and status, which selection needs.
using Stratum.Core.Wire;

namespace Stratum.Engine.Associations;

/// <summary>A measurement of a remote clock, in seconds.</summary>
public readonly record struct ClockSample(
    double Offset,
    double Delay,
    double Dispersion,
    double MonoSeconds,
    LeapIndicator Leap,
    byte Stratum,
    double RootDelay,
    double RootDispersion,
    ReferenceId ReferenceId,
    sbyte Precision,
    sbyte Poll);
