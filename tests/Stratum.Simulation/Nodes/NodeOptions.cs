// NodeOptions: a node's clock configuration (docs/simulation.md "Clock state per node" and
// "Oscillator"): initial offset (time = offset at T = 0), constant frequency offset, random-walk σ and the
// kernel's SHIFT_PLL.
namespace Stratum.Simulation.Nodes;

/// <summary>How a node's clock starts and drifts.</summary>
/// <param name="InitialOffsetSeconds">time − T at the start.</param>
/// <param name="FrequencyOffset">Constant oscillator frequency error, s/s (1e-4 = +100 ppm).</param>
/// <param name="WanderSigma">Random-walk σ per √s (1e-9 is the scenarios' standard); 0: none.</param>
/// <param name="ShiftPll">The kernel PLL's SHIFT_PLL.</param>
public sealed record NodeOptions(
    double InitialOffsetSeconds = 0,
    double FrequencyOffset = 0,
    double WanderSigma = 0,
    int ShiftPll = 2)
{
    /// <summary>A perfect clock: no offset, no frequency error, no wander.</summary>
    public static NodeOptions Perfect { get; } = new();

    /// <summary>The scenarios' client: 0.1 s off, +100 ppm, σ = 1e-9.</summary>
    public static NodeOptions ScenarioClient { get; } = new(0.1, 1e-4, 1e-9);
}
