// DisciplineStatus: a snapshot of the clock discipline of RFC 5905 §11.3 (c.state, c.offset, c.freq,
// c.jitter, c.wander, the time constant) for loopstats, mode 6 and the kernel's error estimates.
namespace Stratum.Engine.Discipline;

/// <summary>The discipline's state for loopstats, mode 6 (<c>offset</c>, <c>frequency</c>, <c>sys_jitter</c>,
/// <c>clk_wander</c>, <c>tc</c>) and the kernel's error estimates.</summary>
/// <param name="State">The state machine state.</param>
/// <param name="Offset">The last offset accepted, seconds.</param>
/// <param name="Frequency">Frequency correction in force, s/s.</param>
/// <param name="Jitter">Clock jitter: exponential RMS of offset differences, seconds.</param>
/// <param name="Wander">Clock wander: exponential RMS of frequency changes, s/s.</param>
/// <param name="TimeConstant">The loop time constant exponent (ntpd's tc: the poll exponent).</param>
/// <param name="FrequencyUncertainty">One-sigma uncertainty of the frequency estimate, s/s.</param>
public readonly record struct DisciplineStatus(
    DisciplineState State,
    double Offset,
    double Frequency,
    double Jitter,
    double Wander,
    int TimeConstant,
    double FrequencyUncertainty);
