// ClockFilter: the 8-stage shift register of RFC 5905 §10 (appendix A.5.2 clock_filter). Each new sample
// (theta, delta, epsilon, t) shifts in; the older stages' dispersion ages at PHI = 15 ppm of the time since
// the last update; the stages are sorted by delay and the least-delay sample gives the peer offset and
// delay; the peer dispersion is the weighted sum ε_i / 2^(i+1) and the jitter the RMS of the offset
// differences to the chosen sample (at least the clock precision). A sample is used at most once and never
// one older than the last used (the RFC's time-ordering rule). The result also carries the newest sample and
// its expected error, for a discipline that takes every sample (see ClockFilterResult.LatestNoise). Limits: no burst handling and no clearing on
// unreachability (the association calls Reset); the popcorn-spike suppressor is ntpd's, optional and off by
// default (RFC 5905 does not have it). Pure: time comes in with the sample.
namespace Stratum.Engine.Filter;

/// <summary>RFC 5905 §10 clock filter for one association.</summary>
/// <remarks>
/// §10 and A.5.2 clock_filter: p.f[i] = (offset θ_i, delay δ_i, disp ε_i, t_i), NSTAGE = 8, PHI = 15e-6 s/s,
/// MAXDISP = 16 s; outputs p.offset, p.delay, p.disp, p.jitter, p.t.
/// </remarks>
public sealed class ClockFilter
{
    /// <summary>NSTAGE: number of stages in the shift register.</summary>
    public const int Stages = 8;

    /// <summary>PHI: frequency tolerance, s/s, at which dispersion grows.</summary>
    public const double FrequencyTolerance = 15e-6;

    /// <summary>MAXDISP: dispersion of an empty or useless stage, seconds.</summary>
    public const double MaxDispersion = 16.0;

    /// <summary>ntpd's CLOCK_SGATE: a new offset this many jitters from the last is a popcorn spike.</summary>
    public const double PopcornGate = 3.0;

    private readonly ClockFilterSample[] _register = new ClockFilterSample[Stages];
    private readonly ClockFilterSample[] _sorted = new ClockFilterSample[Stages];

    // Per stage: clock corrections applied since the sample was taken (seconds to add to its offset).
    private readonly double[] _corrections = new double[Stages];
    private readonly double[] _sortedCorrections = new double[Stages];
    private readonly double _precision;

    // Delays of the last DelayHistoryLength samples: the floor against which a sample's extra queueing
    // delay is measured (ClockFilterResult.LatestNoise). Eight stages see the floor plus about an eighth of
    // the queueing spread; 32 samples (34 minutes at poll 6) come four times closer, and still follow a
    // route change within that window.
    private const int DelayHistoryLength = 32;
    private readonly double[] _delayHistory = new double[DelayHistoryLength];
    private readonly double[] _offsetHistory = new double[DelayHistoryLength];
    private readonly double[] _timeHistory = new double[DelayHistoryLength];
    private int _delayHistoryNext;
    private int _delayHistoryCount;
    private readonly bool _popcornSuppressor;
    private double _lastUpdateTime;
    private double _lastUsedTime;
    private bool _hasUpdate;
    private bool _hasUsed;
    private bool _popcornHeld;

    /// <param name="precisionSeconds">The system clock precision (2^s.precision), the jitter floor.</param>
    /// <param name="popcornSuppressor">Reject a new least-delay sample whose offset is more than
    /// <see cref="PopcornGate"/> jitters from the last used one (ntpd behaviour, not in RFC 5905).</param>
    public ClockFilter(double precisionSeconds, bool popcornSuppressor = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(precisionSeconds);
        _precision = precisionSeconds;
        _popcornSuppressor = popcornSuppressor;
        Reset();
    }

    /// <summary>Rate at which the stages' dispersion grows, s/s: PHI unless the caller knows better.</summary>
    /// <remarks>Deviation: RFC 5905 ages every stage at PHI = 15 ppm, the worst-case frequency error of an
    /// undisciplined clock. Once the discipline knows the frequency to a fraction of a ppm that bound is
    /// far too loose (at poll 6 it makes ε about 3 ms, so a server 5 ms off still overlaps the others in
    /// the intersection); SourceManager lowers it to a few times the frequency uncertainty, never below
    /// 1 ppm, and restores PHI whenever the frequency is not known (see SourceManager.FrequencyTolerance).</remarks>
    public double AgingRate { get; set; } = FrequencyTolerance;

    /// <summary>The result of the last <see cref="Add"/>, or the empty state after <see cref="Reset"/>.</summary>
    public ClockFilterResult Last { get; private set; }

    /// <summary>Monotonic seconds of the last <see cref="Add"/>: the time the stages' dispersion is aged to.</summary>
    /// <remarks>For root distance (A.5.5.2) the dispersion keeps growing at PHI from here; using the chosen
    /// sample's time instead (the RFC's p.t) counts the age of an old least-delay sample twice.</remarks>
    public double LastUpdateTime => _lastUpdateTime;

    /// <summary>Number of valid samples (dispersion below MAXDISP) in the register.</summary>
    public int ValidCount { get; private set; }

    /// <summary>Empties the register (RFC 5905 A.5.2 clear: every stage at MAXDISP).</summary>
    public void Reset()
    {
        for (int i = 0; i < Stages; i++)
        {
            _register[i] = new ClockFilterSample(0, MaxDispersion, MaxDispersion, 0);
            _corrections[i] = 0;
        }

        _hasUpdate = false;
        _hasUsed = false;
        _delayHistoryCount = 0;
        _delayHistoryNext = 0;
        _popcornHeld = false;
        _lastUpdateTime = 0;
        _lastUsedTime = 0;
        ValidCount = 0;
        Last = new ClockFilterResult(0, MaxDispersion, MaxDispersion, MaxDispersion, 0, ClockFilterOutcome.NoValidSample);
    }

    /// <summary>The register, newest first, with dispersion aged to the last update.</summary>
    public ReadOnlySpan<ClockFilterSample> Register => _register;

    /// <summary>Shifts in a new sample and recomputes the peer statistics.</summary>
    public ClockFilterResult Add(in ClockFilterSample sample)
    {
        // Age the older stages by PHI × (time since the last update), then shift.
        double age = _hasUpdate ? Math.Max(0, sample.Time - _lastUpdateTime) : 0;
        for (int i = Stages - 1; i > 0; i--)
        {
            ClockFilterSample older = _register[i - 1];
            _register[i] = older with { Dispersion = Math.Min(MaxDispersion, older.Dispersion + (AgingRate * age)) };
            _corrections[i] = _corrections[i - 1];
        }

        _register[0] = sample with { Dispersion = Math.Min(MaxDispersion, sample.Dispersion) };
        _corrections[0] = 0;
        _lastUpdateTime = sample.Time;
        _hasUpdate = true;

        // Sort by delay; useless stages (dispersion at MAXDISP) go last. Ties keep the newer sample first.
        _register.CopyTo(_sorted, 0);
        _corrections.CopyTo(_sortedCorrections, 0);
        InsertionSortByDelay(_sorted, _sortedCorrections);

        int valid = 0;
        double minimumDelay = MaxDispersion;
        for (int i = 0; i < Stages; i++)
        {
            if (_sorted[i].Dispersion < MaxDispersion)
            {
                valid++;
                minimumDelay = Math.Min(minimumDelay, _sorted[i].Delay);
            }
        }

        ValidCount = valid;
        _delayHistory[_delayHistoryNext] = sample.Delay;
        _offsetHistory[_delayHistoryNext] = sample.Offset;
        _timeHistory[_delayHistoryNext] = sample.Time;
        _delayHistoryNext = (_delayHistoryNext + 1) % DelayHistoryLength;
        _delayHistoryCount = Math.Min(_delayHistoryCount + 1, DelayHistoryLength);
        double delaySum = 0;
        for (int i = 0; i < _delayHistoryCount; i++)
        {
            minimumDelay = Math.Min(minimumDelay, _delayHistory[i]);
            delaySum += _delayHistory[i];
        }

        double floorUncertainty = _delayHistoryCount > 1
            ? Math.Max(0, (delaySum / _delayHistoryCount) - minimumDelay) / _delayHistoryCount
            : sample.Delay / 2;

        double slope = AsymmetrySlope(minimumDelay);

        // ε = Σ ε_i / 2^(i+1) over all stages (the RFC's NTP_FWEIGHT = 0.5 recursion, unrolled); the valid
        // stages alone, with their weights renormalized, give the samples' own spread (ValidDispersion).
        double dispersion = 0;
        double validDispersion = 0;
        double validWeight = 0;
        double weight = 0.5;
        for (int i = 0; i < Stages; i++)
        {
            dispersion += _sorted[i].Dispersion * weight;
            if (_sorted[i].Dispersion < MaxDispersion)
            {
                validDispersion += _sorted[i].Dispersion * weight;
                validWeight += weight;
            }

            weight *= 0.5;
        }

        validDispersion = validWeight > 0 ? validDispersion / validWeight : MaxDispersion;

        if (valid == 0)
        {
            Last = Last with { Dispersion = dispersion, Outcome = ClockFilterOutcome.NoValidSample, Latest = sample, MinimumDelay = sample.Delay };
            return Last;
        }

        ClockFilterSample chosen = _sorted[0];
        double sumSquares = 0;
        for (int i = 1; i < valid; i++)
        {
            double difference = (_sorted[i].Offset + _sortedCorrections[i]) - (chosen.Offset + _sortedCorrections[0]);
            sumSquares += difference * difference;
        }

        double jitter = valid > 1 ? Math.Sqrt(sumSquares / (valid - 1)) : 0;
        jitter = Math.Max(jitter, _precision);

        ClockFilterOutcome outcome = ClockFilterOutcome.NewSample;
        if (_hasUsed && chosen.Time <= _lastUsedTime)
        {
            outcome = ClockFilterOutcome.StaleSample;
        }
        else if (_popcornSuppressor && _hasUsed && !_popcornHeld && valid >= Stages / 2
                 && Math.Abs(chosen.Offset - Last.Offset) > PopcornGate * Last.Jitter)
        {
            // Gate against the jitter before this sample (the new jitter is measured about the spike itself),
            // with half the register filled so that the jitter means something, and never twice in a row so
            // that a real phase jump gets through.
            _popcornHeld = true;
            // The spike is not used, but the time advances so that it is never picked again.
            outcome = ClockFilterOutcome.PopcornSpike;
            _lastUsedTime = chosen.Time;
            Last = Last with { Dispersion = dispersion, Jitter = jitter, Outcome = outcome, Latest = Debiased(sample, slope, minimumDelay), MinimumDelay = minimumDelay, AsymmetrySlope = slope, ValidDispersion = validDispersion, FloorUncertainty = floorUncertainty, FloorSamples = _delayHistoryCount };
            return Last;
        }

        if (outcome == ClockFilterOutcome.NewSample)
        {
            _popcornHeld = false;
            _lastUsedTime = chosen.Time;
            _hasUsed = true;
        }

        double chosenOffset = chosen.Offset + _sortedCorrections[0] - (slope * Math.Max(0, chosen.Delay - minimumDelay));
        Last = new ClockFilterResult(chosenOffset, chosen.Delay, dispersion, jitter, chosen.Time, outcome, Debiased(sample, slope, minimumDelay), minimumDelay, slope)
        {
            ValidDispersion = validDispersion,
            FloorUncertainty = floorUncertainty,
            FloorSamples = _delayHistoryCount,
        };
        return Last;
    }

    /// <summary>Tells the filter that the clock was corrected at <paramref name="time"/> (monotonic seconds).</summary>
    /// <remarks>
    /// Deviation: RFC 5905 compares raw offsets, so after the discipline slews the clock the older stages
    /// disagree with the new ones by the correction and the jitter measures our own corrections, not the
    /// network. Like chrony (SRC_SlewSamples), we refer every stored offset to the clock as it is now when the
    /// jitter is computed: a phase slew p lowers later offsets by p, and a frequency change Δf at time u made
    /// offsets grow more slowly after u, so an earlier sample at t gains Δf·(u − t). The chosen sample's
    /// offset (<see cref="Last"/>) is reported the same way: selection compares sources whose least-delay
    /// samples were taken at different times, around corrections of up to the step threshold, and a raw
    /// offset from before a 100 ms slew would make a truechimer look 100 ms off.
    /// </remarks>
    /// <param name="time">When the correction took effect.</param>
    /// <param name="phase">Phase slewed, seconds (positive = clock advanced).</param>
    /// <param name="frequencyChange">Frequency correction change, s/s (positive = clock runs faster).</param>
    public void Correct(double time, double phase, double frequencyChange)
    {
        for (int i = 0; i < Stages; i++)
        {
            if (_register[i].Dispersion < MaxDispersion && _register[i].Time <= time)
            {
                _corrections[i] += (frequencyChange * (time - _register[i].Time)) - phase;
            }
        }

        for (int i = 0; i < _delayHistoryCount; i++)
        {
            if (_timeHistory[i] <= time)
            {
                _offsetHistory[i] += (frequencyChange * (time - _timeHistory[i])) - phase;
            }
        }

        if (Last.Outcome != ClockFilterOutcome.NoValidSample && Last.Time <= time)
        {
            ClockFilterSample latest = Last.Latest;
            Last = Last with
            {
                Offset = Last.Offset + (frequencyChange * (time - Last.Time)) - phase,
                Latest = latest with { Offset = latest.Offset + (frequencyChange * (time - latest.Time)) - phase },
            };
        }
    }

    /// <summary>Fewest samples before a delay asymmetry is estimated.</summary>
    private const int MinimumAsymmetrySamples = 8;

    /// <summary>
    /// The slope of offset against extra delay over the recent samples: how much of a sample's queueing
    /// delay showed up in its offset. A sample's offset error is (up − down)/2 of its one-way delays, so
    /// when queueing happens on one path only (an upload-saturated link, scenario S2 of docs/simulation.md) the offset grows
    /// with the extra delay at up to ±1/2 and every sample but the fastest is biased the same way; when both
    /// directions queue alike the slope is zero. Least squares over the last 32 samples, with their time
    /// trend taken out, shrunk towards
    /// zero by its own uncertainty (1 − 9·var/slope²: nothing until the slope is three standard errors from
    /// zero, so that on a symmetric path its noise does not reach the offsets) and clamped to ±1/2.
    /// </summary>
    /// <remarks>Not in RFC 5905, which only prefers the least-delay sample (and keeps its bias).</remarks>
    private double AsymmetrySlope(double floor)
    {
        int n = _delayHistoryCount;
        if (n < MinimumAsymmetrySamples)
        {
            return 0;
        }

        // Weighted like the loop filter weighs samples (by extra delay), so the slope is the one that
        // matters near the floor, where the samples that count are.
        double sw = 0;
        double meanExcess = 0;
        double meanOffset = 0;
        double meanTime = 0;
        for (int i = 0; i < n; i++)
        {
            double w = SlopeWeight(_delayHistory[i] - floor);
            sw += w;
            meanExcess += w * (_delayHistory[i] - floor);
            meanOffset += w * _offsetHistory[i];
            meanTime += w * _timeHistory[i];
        }

        meanExcess /= sw;
        meanOffset /= sw;
        meanTime /= sw;

        // The stored offsets still drift with whatever frequency error the clock had over the window: the
        // time trend comes out of both the offsets and the extra delays before the slope is fitted (S2
        // under clknetsim, mean of seeds 1-5: 26.8 → 26.3 µs).
        double stt = 0;
        double stx = 0;
        double sty = 0;
        for (int i = 0; i < n; i++)
        {
            double w = SlopeWeight(_delayHistory[i] - floor);
            double t = _timeHistory[i] - meanTime;
            stt += w * t * t;
            stx += w * t * (_delayHistory[i] - floor - meanExcess);
            sty += w * t * (_offsetHistory[i] - meanOffset);
        }

        double trendExcess = stt > 0 ? stx / stt : 0;
        double trendOffset = stt > 0 ? sty / stt : 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++)
        {
            double w = SlopeWeight(_delayHistory[i] - floor);
            double t = _timeHistory[i] - meanTime;
            double x = _delayHistory[i] - floor - meanExcess - (trendExcess * t);
            sxx += w * x * x;
            sxy += w * x * (_offsetHistory[i] - meanOffset - (trendOffset * t));
        }

        if (sxx <= 0)
        {
            return 0;
        }

        double slope = sxy / sxx;
        double residual = 0;
        for (int i = 0; i < n; i++)
        {
            double w = SlopeWeight(_delayHistory[i] - floor);
            double t = _timeHistory[i] - meanTime;
            double x = _delayHistory[i] - floor - meanExcess - (trendExcess * t);
            double r = _offsetHistory[i] - meanOffset - (trendOffset * t) - (slope * x);
            residual += w * r * r;
        }

        // Three parameters fitted (level, trend, slope).
        double slopeVariance = residual / sw * n / (n - 3) / sxx * sw / n;
        double shrink = slope * slope > 0 ? Math.Max(0, 1 - (SlopeSignificance * SlopeSignificance * slopeVariance / (slope * slope))) : 0;
        return Math.Clamp(slope * shrink, -0.5, 0.5);
    }

    private static double SlopeWeight(double excess)
    {
        double scale = excess + SlopeWeightFloor;
        return 1 / (scale * scale);
    }

    private const double SlopeWeightFloor = 50e-6;

    // Standard errors a slope must reach before it is used in full (S1/S2/S3 under clknetsim, means of
    // seeds 1-5: 1 → 14.1/27.6/9.9 µs, 3 → 13.5/27.0/9.7 µs, 4 → 13.5/27.7/9.7 µs).
    private const double SlopeSignificance = 3;

    private static ClockFilterSample Debiased(in ClockFilterSample sample, double slope, double floor) =>
        slope == 0 ? sample : sample with { Offset = sample.Offset - (slope * Math.Max(0, sample.Delay - floor)) };

    private static void InsertionSortByDelay(ClockFilterSample[] samples, double[] corrections)
    {
        for (int i = 1; i < samples.Length; i++)
        {
            ClockFilterSample current = samples[i];
            double currentCorrection = corrections[i];
            double key = SortKey(current);
            int j = i - 1;
            while (j >= 0 && SortKey(samples[j]) > key)
            {
                samples[j + 1] = samples[j];
                corrections[j + 1] = corrections[j];
                j--;
            }

            samples[j + 1] = current;
            corrections[j + 1] = currentCorrection;
        }
    }

    private static double SortKey(in ClockFilterSample sample) =>
        sample.Dispersion >= MaxDispersion ? double.MaxValue : sample.Delay;
}
