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
/// <param name="MinimumDelay">The least delay of the recent samples (the last 32), seconds.</param>
/// <param name="AsymmetrySlope">Estimated share of extra delay that shows up as offset (−½…½); the
/// offsets reported here are already corrected by it (ClockFilter.AsymmetrySlope).</param>
public readonly record struct ClockFilterResult(
    double Offset,
    double Delay,
    double Dispersion,
    double Jitter,
    double Time,
    ClockFilterOutcome Outcome,
    ClockFilterSample Latest = default,
    double MinimumDelay = 0,
    double AsymmetrySlope = 0)
{
    /// <summary>How far <see cref="MinimumDelay"/> may still sit above the path's true floor, seconds: with n
    /// recent samples about (mean − least delay)/n (the least of n exponential delays sits that far above
    /// the floor), half the delay with a single sample. It widens <see cref="LatestNoise"/>, so the first
    /// samples (an iburst volley), whose floor is barely known, do not pin the frequency down.</summary>
    public double FloorUncertainty { get; init; }

    /// <summary>Expected error (one sigma) of <see cref="Latest"/>'s offset, seconds.</summary>
    /// <remarks>
    /// Deviation: RFC 5905 disciplines only with the least-delay sample, and only when it is newer than the
    /// last one used, so most polls bring nothing (the least-delay sample often sits in the register for
    /// several polls). Like chrony, a discipline may instead take every sample weighted by its expected error.
    /// A sample's extra delay x over the floor of the recent samples (<see cref="MinimumDelay"/>) bounds its
    /// offset error to ±x/2, taken here as the error's scale (one-sided queueing puts it all on one side);
    /// the floor sample has its own error, a sixteenth of the jitter (the RMS spread of the register about
    /// the least-delay sample). Tuned on SIMULATION.md's S1 (symmetric) and S2 (one-sided) networks together:
    /// x/(2√3) (the uniform spread) and a quarter of the jitter gave 15.1 / 57 µs RMS, x/2 and a sixteenth
    /// 14.1 / 32 µs with the asymmetry correction of ClockFilter.AsymmetrySlope (in our in-process
    /// simulator); the whole daemon under clknetsim then settled the share at 0.35 (QueueingShare).
    /// </remarks>
    public double LatestNoise
    {
        get
        {
            double floor = Jitter / FloorDivisor;
            double queueing = (Math.Max(0, Latest.Delay - MinimumDelay) + FloorUncertainty) * QueueingShare;
            return Math.Sqrt((floor * floor) + (queueing * queueing));
        }
    }

    // The error's scale as a share of the sample's queueing delay (its extra delay over the floor, plus
    // how far the floor itself may be off). The error lies within ±half of it; spread evenly that is
    // 1/√12 ≈ 0.29, and a little more allows for one-sided queueing. Under clknetsim, means of seeds 1-5
    // for S1/S2/S3: 0.5 → 13.6/27.1/9.7 µs, 0.35 → 12.9/26.8/9.6 µs, 0.25 → 12.9/27.6/9.8 µs.
    private const double QueueingShare = 0.35;

    // The least-delay sample's own error as a share of the jitter.
    private const double FloorDivisor = 16;

    /// <summary>ε over the valid stages only (weights renormalized), seconds: the samples' own spread,
    /// without the MAXDISP of empty stages (ClockSelector's intersection interval).</summary>
    public double ValidDispersion { get; init; } = MaxDispersionValue;

    private const double MaxDispersionValue = 16.0;

    /// <summary>True when the discipline should take this sample (<see cref="ClockFilterOutcome.NewSample"/>).</summary>
    public bool IsNew => Outcome == ClockFilterOutcome.NewSample;
}
