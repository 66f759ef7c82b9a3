// SimulationTime: the one true time T of docs/simulation.md "Global time and events", in seconds from
// the start of the run. Only the Simulator moves it (forward only); clocks read it to advance
// themselves lazily, so a node's clock is exact at whatever instant it is read.
namespace Stratum.Simulation;

/// <summary>True time T, shared by every clock of one simulation.</summary>
public sealed class SimulationTime
{
    /// <summary>True time in seconds since the start of the run.</summary>
    public double Now { get; private set; }

    /// <summary>Moves T forward to <paramref name="seconds"/>; never backward.</summary>
    public void AdvanceTo(double seconds)
    {
        if (seconds < Now)
        {
            throw new InvalidOperationException($"true time cannot go back from {Now} to {seconds}");
        }

        Now = seconds;
    }
}
