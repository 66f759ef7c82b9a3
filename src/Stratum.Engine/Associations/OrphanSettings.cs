// OrphanSettings and OrphanMode: ntpd's orphan mode (`tos orphan S orphanwait W`, RFC 5905 and ntpd
// 4.2.8's orphan mode). When no source below stratum S has been selectable for W seconds (since start or
// since synchronization was lost), the daemon serves time at stratum S with the loopback address as its
// refid ("LOOP" at stratum 1), so a group of hosts cut off from their upstream keeps one time among
// themselves and their clients. Sources above stratum S are never selected while orphan mode is
// configured (they may descend from an orphan: a loop); of the sources at exactly stratum S, the one of
// lowest address metric below ours is elected orphan parent when nothing else survives (ClockSelector),
// so the whole group follows one orphan and the others serve stratum S + 1.
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
    /// <summary>An orphan's refid above stratum 1: 127.0.0.1.</summary>
    public static readonly ReferenceId LoopbackReferenceId = ReferenceId.FromAddress(System.Net.IPAddress.Loopback);

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
        system.Update(LeapIndicator.NoWarning, _settings.Stratum, _settings.Stratum > 1 ? LoopbackReferenceId : ReferenceId.FromAscii("LOOP"), 0, 0, now, "orphan");
        return started;
    }
}
