// IPendingSlewSource: the one piece of clock state a reply needs besides its timestamps: the phase
// the clock still has to slew from earlier corrections, which the discipline takes into account in a
// new correction, and how well that is known (the sample's error bound grows by it). Reading it can
// cost a system call (clock_adjtime), so the Engine asks only when a sample is about to be processed:
// never for a time request on the server path.
namespace Stratum.Engine;

/// <summary>Reads the clock's pending slew when the Engine needs it.</summary>
public interface IPendingSlewSource
{
    /// <summary>Phase still to be slewed, and its uncertainty (a one-sided bound), seconds.</summary>
    void ReadPendingSlew(out double seconds, out double uncertainty);
}
