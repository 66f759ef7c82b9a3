// ClockFilterResult: what the clock filter of RFC 5905 §10 hands to the association after each new sample:
// the peer variables p.offset, p.delay, p.disp, p.jitter and p.t (A.5.2), plus whether the chosen sample is
// new and may be used by the discipline (a sample is used at most once, never one older than the last used).
namespace Stratum.Engine.Filter;

/// <summary>The peer statistics computed by the clock filter.</summary>
/// <remarks>RFC 5905 §10 and A.5.2: p.offset (θ), p.delay (δ), p.disp (ε), p.jitter (ψ), p.t.</remarks>
/// <param name="Offset">θ of the least-delay sample, seconds.</param>
/// <param name="Delay">δ of the least-delay sample, seconds.</param>
/// <param name="Dispersion">ε = Σ ε_i / 2^(i+1) over the register sorted by delay, seconds.</param>
/// <param name="Jitter">ψ: RMS of offset differences to the chosen sample, at least the precision, seconds.</param>
/// <param name="Time">Monotonic time of the chosen sample, seconds.</param>
/// <param name="Outcome">Whether the chosen sample may be used now.</param>
/// <param name="Latest">The sample just added, as measured.</param>
/// <param name="MinimumDelay">The least delay among the valid stages, seconds.</param>
public readonly record struct ClockFilterResult(
    double Offset,
    double Delay,
    double Dispersion,
    double Jitter,
    double Time,
    ClockFilterOutcome Outcome,
    ClockFilterSample Latest = default,
    double MinimumDelay = 0)
{
    /// <summary>Expected error (one sigma) of <see cref="Latest"/>'s offset, seconds.</summary>
    /// <remarks>
    /// Deviation: RFC 5905 disciplines only with the least-delay sample, and only when it is newer than the
    /// last one used, so most polls bring nothing (the least-delay sample often sits in the register for
    /// several polls). Like chrony, a discipline may instead take every sample weighted by its expected error.
    /// The extra delay over the register's minimum, δ − δ_min, bounds the offset error to ±(δ − δ_min)/2;
    /// spread evenly over that range its standard deviation is (δ − δ_min)/(2√3). The least-delay sample has
    /// its own error, taken as a quarter of the jitter (the RMS spread of the register about it). Tuned with
    /// SIMULATION.md's S1 network (exponential queueing); a quarter gave the lowest RMS of 1/20, 1/8, 1/4.
    /// </remarks>
    public double LatestNoise
    {
        get
        {
            double floor = Jitter / 4;
            double excess = Math.Max(0, Latest.Delay - MinimumDelay) / (2 * Math.Sqrt(3));
            return Math.Sqrt((floor * floor) + (excess * excess));
        }
    }

    /// <summary>True when the discipline should take this sample (<see cref="ClockFilterOutcome.NewSample"/>).</summary>
    public bool IsNew => Outcome == ClockFilterOutcome.NewSample;
}
