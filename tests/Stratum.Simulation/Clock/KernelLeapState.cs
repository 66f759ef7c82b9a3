// KernelLeapState: the kernel's leap-second state machine (Linux time_state, docs/simulation.md
// "Leap seconds"): TIME_OK → TIME_INS/TIME_DEL once armed → TIME_OOP during an inserted second →
// TIME_WAIT until the daemon clears STA_INS/STA_DEL → TIME_OK.
namespace Stratum.Simulation.Clock;

/// <summary>Linux's time_state values.</summary>
public enum KernelLeapState
{
    /// <summary>TIME_OK: no leap second pending.</summary>
    Ok = 0,
    /// <summary>TIME_INS: a second will be inserted at the next UTC midnight.</summary>
    Insert = 1,
    /// <summary>TIME_DEL: a second will be deleted at the next UTC midnight.</summary>
    Delete = 2,
    /// <summary>TIME_OOP: the inserted second (23:59:60) is in progress.</summary>
    InProgress = 3,
    /// <summary>TIME_WAIT: the leap second is done; waiting for STA_INS/STA_DEL to clear.</summary>
    Wait = 4,
}
