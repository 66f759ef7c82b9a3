// EngineConfiguration: the part of ntp.conf the Engine acts on, translated by the host from the
// parsed config model so that the Engine does not depend on parser details.
using Stratum.Engine.Associations;

namespace Stratum.Engine;

/// <summary>Engine inputs from the configuration.</summary>
/// <remarks>Discipline: tinker step/stepout/panic, -g, -x (ntpd's defaults when null); Selection: tos
/// minsane/minclock/maxclock/maxdist/mindist; DriftFrequency: the drift file's value, s/s; ControlKey: the
/// `controlkey` that authorizes mode 6 writes (none when null); PendingNames: `server NAME` and `pool NAME`
/// lines resolved at run time; MaxClock: `tos maxclock`, the most associations a pool fills up to;
/// KeepDriftFile: a `driftfile` is written hourly and at exit (only while the clock is disciplined);
/// WriteSysStats: the sysstats file is written hourly, and the server counters start again from zero
/// each time; LeapSmearInterval: `leapsmearinterval`, seconds (0: off).</remarks>
public sealed record EngineConfiguration(
    IReadOnlyList<LocalClockSettings> LocalClocks,
    IReadOnlyList<string> UnsupportedAssociations,
    bool DisciplineEnabled,
    IReadOnlyList<RemoteAssociationSettings>? RemoteAssociations = null,
    Access.AccessSettings? Access = null,
    Discipline.DisciplineParameters? Discipline = null,
    Selection.SelectionParameters? Selection = null,
    double? DriftFrequency = null,
    Associations.OrphanSettings? Orphan = null,
    Access.KeyRing? Keys = null,
    uint? ControlKey = null,
    IReadOnlyList<PendingAssociation>? PendingNames = null,
    int MaxClock = EngineConfiguration.DefaultMaxClock,
    bool KeepDriftFile = false,
    bool WriteSysStats = false,
    double LeapSmearInterval = 0)
{
    /// <summary>ntpd's `tos maxclock` default.</summary>
    public const int DefaultMaxClock = 10;

    /// <summary>`enable calibrate`: reference clocks' time1 follows the system peer (SourceManager.CalibrateRefclocks).</summary>
    public bool CalibrateRefclocks { get; init; }

    /// <summary>Broadcast and manycast: what may mobilize associations and answer groups.</summary>
    public Associations.CastSettings Casting { get; init; } = Associations.CastSettings.Default;
}
