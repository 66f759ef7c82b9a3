// EngineConfiguration: the part of ntp.conf the Engine acts on, translated by the host from the
// parsed config model so that the Engine does not depend on parser details.
using Stratum.Engine.Associations;

namespace Stratum.Engine;

/// <summary>Engine inputs from the configuration.</summary>
public sealed record EngineConfiguration(
    IReadOnlyList<LocalClockSettings> LocalClocks,
    IReadOnlyList<string> UnsupportedAssociations,
    bool DisciplineEnabled,
    IReadOnlyList<RemoteAssociationSettings>? RemoteAssociations = null);
