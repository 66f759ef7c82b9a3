// SimulatorOptions: the run-wide settings of the model (docs/simulation.md): the master seed, the model
// tick rate R (ticks per true second, an integer so the kernel second falls on a tick), the Unix time
// the node clocks show at T = 0, and the delay of links not configured explicitly.
using Stratum.Simulation.Network;

namespace Stratum.Simulation;

/// <summary>Settings of one simulation run.</summary>
/// <param name="Seed">Master seed: link streams, oscillator streams and node streams derive from it.</param>
/// <param name="TickRate">Model ticks per second (R).</param>
/// <param name="StartUnixSeconds">Unix time at T = 0 (default 2026-01-01T00:00:00Z).</param>
/// <param name="DefaultDelay">Delay model of unconfigured directions (default S1's LAN); null: <see cref="DelayModel.Lan"/>.</param>
public sealed record SimulatorOptions(
    ulong Seed = 1,
    int TickRate = 1,
    long StartUnixSeconds = 1_767_225_600,
    DelayModel? DefaultDelay = null);
