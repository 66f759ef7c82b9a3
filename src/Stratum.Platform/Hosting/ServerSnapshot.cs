// ServerSnapshot: the system variables a time reply is made of (RFC 5905 §9.2: leap, stratum,
// precision, root delay and dispersion, refid, reference time), copied by the main loop for the
// extra server loops of ntpd --server-threads. Immutable, so it crosses threads through one volatile
// reference; each extra loop copies it into its own SystemVariables, which only that loop touches.
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.SystemState;

namespace Stratum.Platform.Hosting;

/// <summary>A read-only copy of the system variables for the extra server loops.</summary>
internal sealed record ServerSnapshot(
    LeapIndicator Leap,
    byte Stratum,
    ReferenceId ReferenceId,
    double RootDelay,
    double RootDispersion,
    NtpTimestamp ReferenceTime,
    double ReferenceMonoSeconds,
    string? SystemPeerName)
{
    public static ServerSnapshot From(SystemVariables system) => new(
        system.Leap, system.Stratum, system.ReferenceId, system.RootDelay, system.RootDispersion,
        system.ReferenceTime, system.ReferenceMonoSeconds, system.SystemPeerName);

    /// <summary>True when <paramref name="system"/> still holds these values (nothing to publish).</summary>
    public bool Matches(SystemVariables system) =>
        Leap == system.Leap && Stratum == system.Stratum && ReferenceId == system.ReferenceId
        && RootDelay.Equals(system.RootDelay) && RootDispersion.Equals(system.RootDispersion)
        && ReferenceTime == system.ReferenceTime && ReferenceMonoSeconds.Equals(system.ReferenceMonoSeconds);

    /// <summary>Makes <paramref name="system"/> (an extra loop's own copy) hold these values.</summary>
    public void ApplyTo(SystemVariables system)
    {
        system.Update(Leap, Stratum, ReferenceId, RootDelay, RootDispersion,
            new LoopTime((long)(ReferenceMonoSeconds * 1e9), ReferenceTime), SystemPeerName ?? string.Empty);
    }
}
