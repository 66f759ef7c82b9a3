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
    /// the least-delay sample). Tuned on S1 (symmetric) and S2 (one-sided) of docs/simulation.md "Scenarios" together:
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

    /// <summary>The offset <see cref="Latest"/> measured, before the asymmetry correction: the centre of
    /// its error interval (<see cref="LatestBound"/>), seconds.</summary>
    public double LatestMeasuredOffset => Latest.Offset + (AsymmetrySlope * LatestExcessDelay);

    /// <summary>How far <see cref="Latest"/>'s delay sits above the floor, seconds.</summary>
    public double LatestExcessDelay => Math.Max(0, Latest.Delay - MinimumDelay);

    /// <summary>The interval that holds <see cref="Latest"/>'s true offset about
    /// <see cref="LatestMeasuredOffset"/>: half its extra delay (the floor's own uncertainty included, plus
    /// <see cref="BoundMargin"/>), leaning as the asymmetry slope says.</summary>
    public Discipline.OffsetBound LatestBound
    {
        get
        {
            if (FloorSamples < MinimumBoundSamples)
            {
                return Discipline.OffsetBound.None;
            }

            double excess = LatestExcessDelay;
            double halfWidth = ((excess + (FloorShare * FloorUncertainty)) / 2) + BoundMargin;
            return Discipline.OffsetBound.WithMeanError(halfWidth, AsymmetrySlope * excess);
        }
    }

    /// <summary>The normal part of <see cref="Latest"/>'s error beside <see cref="LatestBound"/>: the floor
    /// sample's own error, a share of the jitter.</summary>
    public double LatestFloorNoise => Jitter / FloorDivisor;

    /// <summary>How many recent delays <see cref="MinimumDelay"/> is the least of.</summary>
    public int FloorSamples { get; init; }

    // Fewer recent delays than this and the floor is too little known to bound anything (an iburst volley
    // taken while the clock slews the first offset away): the normal spread alone. With none, two S1 seeds
    // with iburst took 80 and 205 s to come within 1 ms instead of 21 s.
    private const int MinimumBoundSamples = 8;

    // The floor's uncertainty as counted in the interval: twice FloorUncertainty, whose (mean − least)/n
    // suits one-sided queueing; with both directions queueing the least of n delays sits nearer
    // (mean − least)/√n above the floor. Under clknetsim, means of seeds 1-5 for S1/S2/S3 (kernel path),
    // with BoundMargin: 1 and 8 µs → 11.2/23.4/8.2 µs; 2 and 4 µs → 11.3/23.3/8.3; 4 and 1 µs →
    // 11.3/23.8/8.3; 6 and 1 µs → 11.6/28.3/8.6.
    private const double FloorShare = 2;

    // Added to every interval's half-width, seconds: timestamping noise and the floor's own asymmetry.
    // Without it (FloorShare 1): 12.0/24.8/8.6 µs; 20 µs: 12.2/22.8/9.0 µs.
    private const double BoundMargin = 4e-6;

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
