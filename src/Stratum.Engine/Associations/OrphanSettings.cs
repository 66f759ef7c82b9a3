// OrphanSettings and OrphanMode: ntpd's orphan mode (`tos orphan S orphanwait W`, RFC 5905 §11.2.2's
// "orphan" note and ntpd 4.2.8 orphan.html). When no source below stratum S has been selectable for W
// seconds (since start or since synchronization was lost), the daemon serves time at stratum S with the
// loopback address as its refid, so a group of hosts cut off from their upstream keeps one time among
// themselves and their clients. Sources at stratum S or above are never selected while orphan mode is
// configured, so orphans do not take each other as upstream.
// Limits: no orphan-parent election among peers (ntpd picks the orphan with the lowest root distance and
// refid as the group's parent); each orphan serves its own clock at stratum S.
using Stratum.Core.Wire;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Associations;

/// <summary>`tos orphan S orphanwait W`.</summary>
/// <param name="Stratum">The orphan stratum S (1..15).</param>
/// <param name="WaitSeconds">orphanwait W: seconds without a source before orphan mode (ntpd: 300).</param>
public sealed record OrphanSettings(byte Stratum, double WaitSeconds = OrphanSettings.DefaultWaitSeconds)
{
    /// <summary>ntpd's default orphanwait.</summary>
    public const double DefaultWaitSeconds = 300;
}

/// <summary>Decides when the system is an orphan.</summary>
public sealed class OrphanMode
{
    private readonly OrphanSettings _settings;
    private double _unsynchronizedSince = double.NaN;

    public OrphanMode(OrphanSettings settings)
    {
        _settings = settings;
    }

    /// <summary>True while the system serves as an orphan.</summary>
    public bool Active { get; private set; }

    /// <summary>The orphan stratum.</summary>
    public byte Stratum => _settings.Stratum;

    /// <summary>Call on each timer tick with whether a real source (or local clock) is the system peer.
    /// Returns true when orphan mode starts now (the caller logs it).</summary>
    public bool Update(bool synchronizedToASource, LoopTime now, SystemVariables system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (synchronizedToASource)
        {
            _unsynchronizedSince = double.NaN;
            Active = false;
            return false;
        }

        if (double.IsNaN(_unsynchronizedSince))
        {
            _unsynchronizedSince = now.MonoSeconds;
        }

        if (now.MonoSeconds - _unsynchronizedSince < _settings.WaitSeconds)
        {
            return false;
        }

        bool started = !Active;
        Active = true;
        system.Update(LeapIndicator.NoWarning, _settings.Stratum, ReferenceId.FromAddress(System.Net.IPAddress.Loopback), 0, 0, now, "orphan");
        return started;
    }
}
