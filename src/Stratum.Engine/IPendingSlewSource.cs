// IPendingSlewSource: the one piece of clock state a reply needs besides its timestamps: the phase
// the clock driver still has to slew from earlier corrections, which the discipline adds to a new
// correction (the driver's adjustment replaces what is pending). Reading it can cost a system call
// (clock_adjtime), so the Engine asks only when a sample is about to be processed: never for a time
// request on the server path.
namespace Stratum.Engine;

/// <summary>Reads the clock driver's pending slew when the Engine needs it.</summary>
public interface IPendingSlewSource
{
    /// <summary>Phase still to be slewed, seconds.</summary>
    double PendingSlewSeconds { get; }
}
