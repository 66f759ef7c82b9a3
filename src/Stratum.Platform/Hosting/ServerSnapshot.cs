// ServerSnapshot: the server state a time reply is made of, copied by the main loop for the extra
// server loops of ntpd --server-threads: the system variables (RFC 5905 §9.2: leap, stratum,
// precision, root delay and dispersion, refid, reference time), the restrict table's inputs (the
// restrict lines, those added at run time by ntpq :config included, and the association and
// interface addresses) and the trusted keys. Immutable, so it crosses threads through one volatile
// reference (ServerLoopGroup.Publish makes a new one whenever anything in it changed); each extra
// loop copies the variables into its own SystemVariables, compiles its own restrict table when the
// inputs changed (AccessControl.Adopt; its MRU list and rate limits stay its own) and uses the keys.
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.Access;
using Stratum.Engine.Server;
using Stratum.Engine.SystemState;

namespace Stratum.Platform.Hosting;

/// <summary>A read-only copy of the main loop's server state for the extra server loops.</summary>
internal sealed record ServerSnapshot(
    LeapIndicator Leap,
    byte Stratum,
    ReferenceId ReferenceId,
    double RootDelay,
    double RootDispersion,
    NtpTimestamp ReferenceTime,
    double ReferenceMonoSeconds,
    string? SystemPeerName,
    RestrictionInputs? Restrictions,
    KeyRing Keys,
    double LeapSmearInterval,
    LeapSmearWindow? LeapSmearWindow)
{
    /// <summary>The state of <paramref name="server"/> and the system variables it answers with.</summary>
    public static ServerSnapshot From(SystemVariables system, ServerResponder server) => new(
        system.Leap, system.Stratum, system.ReferenceId, system.RootDelay, system.RootDispersion,
        system.ReferenceTime, system.ReferenceMonoSeconds, system.SystemPeerName, server.Access?.Inputs, server.Keys,
        system.LeapSmearInterval, system.LeapSmearWindow);

    /// <summary>True when <paramref name="system"/> and <paramref name="server"/> still hold these
    /// values (nothing to publish). A few compares, no allocation.</summary>
    public bool Matches(SystemVariables system, ServerResponder server) =>
        Leap == system.Leap && Stratum == system.Stratum && ReferenceId == system.ReferenceId
        && RootDelay.Equals(system.RootDelay) && RootDispersion.Equals(system.RootDispersion)
        && ReferenceTime == system.ReferenceTime && ReferenceMonoSeconds.Equals(system.ReferenceMonoSeconds)
        && ReferenceEquals(Restrictions, server.Access?.Inputs) && ReferenceEquals(Keys, server.Keys)
        && LeapSmearInterval.Equals(system.LeapSmearInterval) && LeapSmearWindow == system.LeapSmearWindow;

    /// <summary>Makes an extra loop's own <paramref name="system"/> and <paramref name="server"/> hold
    /// these values; recompiles its restrict table only when the inputs changed.</summary>
    public void ApplyTo(SystemVariables system, ServerResponder server)
    {
        system.Update(Leap, Stratum, ReferenceId, RootDelay, RootDispersion,
            new LoopTime((long)(ReferenceMonoSeconds * 1e9), ReferenceTime), SystemPeerName ?? string.Empty);
        system.LeapSmearInterval = LeapSmearInterval;
        system.LeapSmearWindow = LeapSmearWindow;
        if (Restrictions is not null)
        {
            server.Access?.Adopt(Restrictions);
        }

        server.Keys = Keys;
    }
}
