// ClockFilterSample: one on-wire measurement as it enters the clock filter of RFC 5905 §10 (the tuple
// theta, delta, epsilon, t of appendix A.5.2: offset, delay, dispersion, time). All values are seconds;
// Time is the monotonic time of the sample (the association's receive time), never the NTP timestamp.
namespace Stratum.Engine.Filter;

/// <summary>One clock-filter sample: offset θ, delay δ, dispersion ε (seconds) taken at monotonic <see cref="Time"/>.</summary>
/// <remarks>RFC 5905 §10 and A.5.2 (f[i].offset, f[i].delay, f[i].disp, f[i].t).</remarks>
public readonly record struct ClockFilterSample(double Offset, double Delay, double Dispersion, double Time);
