// KernelStatus: the adjtimex(2) status bits the simulated kernel discipline uses, with Linux's
// values (include/uapi/linux/timex.h) so traces read like the real thing. Only the bits
// the kernel model of docs/simulation.md acts on are listed.
namespace Stratum.Simulation.Clock;

/// <summary>adjtimex status bits (STA_*).</summary>
[Flags]
public enum KernelStatus
{
    None = 0,
    /// <summary>STA_PLL: the PLL updates are enabled.</summary>
    Pll = 0x0001,
    /// <summary>STA_FLL: select frequency-lock mode.</summary>
    Fll = 0x0008,
    /// <summary>STA_INS: insert a leap second at the next UTC midnight.</summary>
    InsertLeap = 0x0010,
    /// <summary>STA_DEL: delete a leap second at the next UTC midnight.</summary>
    DeleteLeap = 0x0020,
    /// <summary>STA_UNSYNC: the clock is unsynchronized.</summary>
    Unsynchronized = 0x0040,
    /// <summary>STA_FREQHOLD: hold the frequency.</summary>
    FrequencyHold = 0x0080,
    /// <summary>STA_NANO: offsets in nanoseconds (else microseconds, with 4 added to the constant).</summary>
    Nanosecond = 0x2000,
    /// <summary>STA_MODE: read-only, the last update used the FLL term.</summary>
    FllMode = 0x4000,
}
