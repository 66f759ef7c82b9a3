// ClockDiscipline: the daemon-side clock discipline of RFC 5905 §11.3 (appendix A.5.5.6 local_clock,
// rstclock, and A.5.5.7 poll adjustment). It keeps the RFC's state machine (NSET, FSET, SPIK, FREQ, SYNC),
// step threshold, stepout, panic threshold, -g and -x, ±500 ppm clamp, clock jitter and wander, and the
// poll-interval rule; each update returns the actions for the clock driver (step, slew, frequency).
// Deviation: the loop filter is not the RFC's hybrid PLL/FLL gain schedule but a two-state (phase,
// frequency) Kalman filter with random-walk frequency noise. The RFC's PLL (frequency += θ·μ/(4·PLL·τ)²) and
// FLL (frequency += θ/max(μ, ALLAN)) are fixed-gain approximations of this filter for long and short update
// intervals; the Kalman gains instead follow the actual uncertainty, which gives (a) a frequency estimate
// after the second sample instead of after the 900 s FREQ watch, and (b) the optimal averaging time for the
// measured noise (near the Allan intercept, ≈1500 s at the default wander) once settled. Limits: pure and
// single-threaded; no kernel PLL (the driver applies Slew as a phase correction and Frequency with
// ADJ_FREQUENCY); after a STEP the caller must reset all clock filters (as ntpd does).
namespace Stratum.Engine.Discipline;

/// <summary>RFC 5905 §11.3 clock discipline: state machine, step/panic handling, loop filter, poll control.</summary>
/// <remarks>A.5.5.6 local_clock / rstclock: c.state, c.offset, c.freq, c.jitter, c.wander, c.count, s.poll;
/// constants STEPT, WATCH (stepout), PANICT, MAXFREQ, PGATE = 4, LIMIT = 30, AVG = 4.</remarks>
public sealed class ClockDiscipline
{
    /// <summary>PGATE: poll-adjust gate, in jitters.</summary>
    public const double PollGate = 4;

    /// <summary>LIMIT: poll-adjust hysteresis counter limit.</summary>
    public const int PollLimit = 30;

    /// <summary>AVG: averaging constant of jitter and wander.</summary>
    public const double AverageConstant = 4;

    /// <summary>FREQ ends (SYNC starts) when the frequency is known this well, s/s.</summary>
    // Deviation: the RFC leaves FREQ after the stepout watch (900 s); we leave it as soon as the estimate is
    // good, which takes two or three samples.
    public const double FrequencySettled = 1e-6;

    /// <summary>An innovation beyond this many standard deviations is held back as a popcorn spike.</summary>
    // Deviation: RFC 5905 has no outlier gate below the step threshold; ntpd has the clock filter's popcorn
    // suppressor. We gate in the loop filter, where the expected spread of each sample is known, and accept
    // the offset after MaxHeldOutliers consecutive holds (a real phase jump then re-opens the phase gain).
    public const double InnovationGate = 6;

    /// <summary>Consecutive outliers held back before the offset is accepted.</summary>
    public const int MaxHeldOutliers = 2;

    // Initial phase uncertainty: large, so that the first offset is taken whole (ntpd slews it entirely too).
    private const double InitialPhaseVariance = 1.0;

    // Frequency uncertainty from a drift file: the drift file is written hourly; 2 ppm covers temperature.
    private const double DriftFileFrequencySigma = 2e-6;

    private readonly DisciplineParameters _parameters;

    // Kalman covariance of (residual phase θ, residual frequency r) right after the last update.
    private double _pPhase;
    private double _pCross;
    private double _pFrequency;

    private double _lastUpdateTime;
    private double _lastSampleTime;
    private bool _hasUpdate;
    private double _lastStepTime = double.NegativeInfinity;
    private bool _firstOffsetSeen;
    private int _heldOutliers;
    private int _pollCounter;

    /// <summary>Starts the discipline; <paramref name="driftFrequency"/> (s/s) from the drift file gives FSET.</summary>
    public ClockDiscipline(DisciplineParameters? parameters = null, double? driftFrequency = null)
    {
        _parameters = parameters ?? DisciplineParameters.Default;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_parameters.MinPoll, _parameters.MaxPoll);
        PollExponent = _parameters.MinPoll;
        _pPhase = InitialPhaseVariance;
        if (driftFrequency is { } drift && double.IsFinite(drift))
        {
            Frequency = Math.Clamp(drift, -_parameters.MaxFrequency, _parameters.MaxFrequency);
            _pFrequency = DriftFileFrequencySigma * DriftFileFrequencySigma;
            State = DisciplineState.FrequencySet;
        }
        else
        {
            _pFrequency = _parameters.MaxFrequency * _parameters.MaxFrequency;
            State = DisciplineState.NeverSet;
        }

        Jitter = _parameters.PrecisionSeconds;
    }

    /// <summary>c.state.</summary>
    public DisciplineState State { get; private set; }

    /// <summary>c.offset: the last offset accepted, seconds.</summary>
    public double Offset { get; private set; }

    /// <summary>c.freq: the frequency correction in force, s/s.</summary>
    public double Frequency { get; private set; }

    /// <summary>c.jitter: exponential RMS of offset differences, seconds.</summary>
    public double Jitter { get; private set; }

    /// <summary>The frequency the last update wanted when it was beyond ±MAXFREQ (and clamped), else null.</summary>
    public double? FrequencyClamped { get; private set; }

    /// <summary>c.wander: exponential RMS of frequency changes, s/s.</summary>
    public double Wander { get; private set; }

    /// <summary>s.poll: the recommended system poll exponent.</summary>
    public int PollExponent { get; private set; }

    /// <summary>The parameters in force.</summary>
    public DisciplineParameters Parameters => _parameters;

    /// <summary>A snapshot for loopstats and mode 6.</summary>
    public DisciplineStatus Status =>
        new(State, Offset, Frequency, Jitter, Wander, PollExponent, Math.Sqrt(Math.Max(0, _pFrequency)));

    /// <summary>Processes the system offset of a new update (RFC 5905 local_clock).</summary>
    /// <param name="offset">θ: the combined system offset, seconds (positive: our clock is behind), with the
    /// phase the clock driver still had to slew when each sample was measured taken out (see
    /// SourceManager.OnReply): otherwise an unfinished slew reads as a frequency error; and with every
    /// correction made since the sample was taken already applied (ClockFilter.Correct).</param>
    /// <param name="sampleTime">Monotonic seconds when the system peer's chosen sample was taken.</param>
    /// <param name="now">Monotonic seconds now (at or after <paramref name="sampleTime"/>).</param>
    /// <param name="measurementJitter">Expected error (one sigma) of this offset, seconds: the system jitter
    /// when fed RFC 5905's least-delay sample, or <see cref="Filter.ClockFilterResult.LatestNoise"/> when fed
    /// every new sample (the more accurate mode, see ClosedLoopAccuracyTests). Sets the loop filter's gain.</param>
    /// <remarks>After a SLEW, tell every association's <see cref="Filter.ClockFilter.Correct"/> about the slew and
    /// the frequency change; after a STEP, reset every clock filter.</remarks>
    /// <param name="bound">What the sample's delay says about its error beyond <paramref name="measurementJitter"/>:
    /// the true offset lies within <paramref name="offset"/> ± the bound's half-width (the bounded-error update,
    /// see <see cref="Filter(double, double, double, double, OffsetBound)"/>). <see cref="OffsetBound.None"/>
    /// when nothing bounds it (the plain Kalman update).</param>
    public DisciplineOutcome Update(double offset, double sampleTime, double now, double measurementJitter, OffsetBound bound = default)
    {
        if (bound == default)
        {
            bound = OffsetBound.None;
        }

        if (!double.IsFinite(offset) || sampleTime <= _lastStepTime || (_hasUpdate && sampleTime <= _lastSampleTime))
        {
            // A sample from before the last step, or one already used: never use it (A.5.2 time ordering).
            return Outcome(DisciplineResult.Ignore, 0, 0, false);
        }

        double magnitude = Math.Abs(offset);
        bool starting = State is DisciplineState.NeverSet or DisciplineState.FrequencySet;

        // Panic: refuse offsets beyond the panic threshold, except the first one under -g.
        if (_parameters.PanicThreshold > 0 && magnitude > _parameters.PanicThreshold
            && !(starting && !_firstOffsetSeen && _parameters.AllowFirstPanicStep))
        {
            return Outcome(DisciplineResult.Panic, 0, 0, false);
        }

        _firstOffsetSeen = true;
        double stepThreshold = _parameters.StepThresholdFor(offset);
        if (stepThreshold > 0 && magnitude > stepThreshold)
        {
            switch (State)
            {
                case DisciplineState.Synchronized or DisciplineState.Frequency
                    when now - _lastUpdateTime < _parameters.StepoutSeconds:
                    // A big offset: hold it as a spike until stepout has passed since the last valid update.
                    State = DisciplineState.Spike;
                    return Outcome(DisciplineResult.Ignore, 0, 0, false);
                case DisciplineState.Spike when now - _lastUpdateTime < _parameters.StepoutSeconds:
                    return Outcome(DisciplineResult.Ignore, 0, 0, false);
                default:
                    // NSET, FSET (at start ntpd steps at once) or a spike that outlived stepout.
                    return StepClock(offset, sampleTime, now);
            }
        }

        if (State == DisciplineState.Spike)
        {
            // The spike went away: resume where we were.
            State = _pFrequency <= FrequencySettled * FrequencySettled ? DisciplineState.Synchronized : DisciplineState.Frequency;
        }

        return Filter(offset, sampleTime, now, measurementJitter, bound);
    }

    private DisciplineOutcome StepClock(double offset, double sampleTime, double now)
    {
        _lastStepTime = now;
        _lastSampleTime = sampleTime;
        _lastUpdateTime = now;
        _hasUpdate = true;
        _heldOutliers = 0;
        _pollCounter = 0;
        _pPhase = InitialPhaseVariance;
        _pCross = 0;
        Offset = 0;
        PollExponent = _parameters.MinPoll;

        // RFC rstclock after a step: NSET goes to FREQ; FSET (frequency known) goes to SYNC.
        State = State switch
        {
            DisciplineState.NeverSet => DisciplineState.Frequency,
            DisciplineState.FrequencySet => DisciplineState.Synchronized,
            _ => _pFrequency <= FrequencySettled * FrequencySettled ? DisciplineState.Synchronized : DisciplineState.Frequency,
        };
        return Outcome(DisciplineResult.Step, offset, 0, false);
    }

    /// <summary>The loop filter's update: a Kalman filter on (phase, frequency), whose measurement update
    /// for a bounded sample is the bounded-error one.</summary>
    /// <remarks>
    /// Deviation (not in RFC 5905): a sample's extra round-trip delay x bounds its offset error to ±x/2
    /// (OffsetBound), an error spread evenly across that interval rather than normally. The Kalman update,
    /// linear in the offset, lets a sample with a wide bound pull the estimate as far as its weight says
    /// even when its interval holds every offset the filter still finds likely, and so tells nothing. Here
    /// the filter's normal prediction of the true offset (plus the sample's normal noise) is multiplied by
    /// the sample's interval and replaced by the normal of the same mean and variance (assumed-density
    /// filtering): the state moves by the ordinary Kalman gain times the truncated normal's mean, and keeps
    /// the ordinary gain times its variance of uncertainty. A tight interval then pins the phase, a wide
    /// one changes nothing, and with no interval it is the Kalman update itself. The whole daemon under
    /// clknetsim (tests/sim/accuracy.sh), RMS error, means of seeds 1-5, kernel / user-space path, from the
    /// Kalman update with a normal error of 0.35 × the extra delay: S1 12.9/12.6 → 11.3/10.9 µs, S2
    /// 26.3/25.6 → 23.2/22.5 µs, S3 9.6/9.1 → 8.3/7.8 µs.
    /// </remarks>
    private DisciplineOutcome Filter(double offset, double sampleTime, double now, double measurementJitter, OffsetBound bound)
    {
        double sinceUpdate = _hasUpdate ? Math.Max(0, now - _lastUpdateTime) : 0;
        double sampleAge = Math.Max(0, now - sampleTime);

        // The offset already includes every correction made since the sample was taken (ClockFilter.Correct).
        double adjusted = offset;

        // Predict: x = (θ, r) stays (0, 0) after the corrections; P = F P Fᵀ + Q with random-walk frequency.
        double q = _parameters.FrequencyWander * _parameters.FrequencyWander;
        double mu = sinceUpdate;
        double pPhase = _pPhase + (2 * mu * _pCross) + (mu * mu * _pFrequency) + (q * mu * mu * mu / 3);
        double pCross = _pCross + (mu * _pFrequency) + (q * mu * mu / 2);
        double pFrequency = _pFrequency + (q * mu);

        // Measure: y = θ(now) − a·r(now), a = sample age; H = [1, −a].
        double a = sampleAge;
        double noise = Math.Max(measurementJitter, _parameters.PrecisionSeconds);
        double r = noise * noise;
        double hpPhase = pPhase - (a * pCross);          // (H P)_θ
        double hpFrequency = pCross - (a * pFrequency);  // (H P)_r
        double innovationVariance = hpPhase - (a * hpFrequency) + r;

        // How far the sample lies from the prediction: beyond its interval when it has one.
        double distance = bound.IsBounded ? Math.Max(0, Math.Abs(adjusted) - bound.HalfWidth) : Math.Abs(adjusted);
        bool settled = State == DisciplineState.Synchronized;
        if (settled && distance > InnovationGate * Math.Sqrt(innovationVariance) && _heldOutliers < MaxHeldOutliers)
        {
            // Held back, but it still counts against a long poll interval (A.5.5.7 shortens it).
            _heldOutliers++;
            AdjustPoll(adjusted);
            return Outcome(DisciplineResult.Ignore, 0, 0, false);
        }

        if (_heldOutliers >= MaxHeldOutliers && distance > InnovationGate * Math.Sqrt(innovationVariance))
        {
            // Persistent: a real phase or frequency jump. Re-open the phase gain now and the frequency gain
            // for the next samples (a frequency jump shows as offsets of about y per interval).
            double phaseJump = adjusted * adjusted;
            double rateJump = phaseJump / Math.Max(1, mu * mu);
            pPhase += phaseJump;
            pFrequency += rateJump;
            hpPhase += phaseJump;
            innovationVariance += phaseJump;
        }

        _heldOutliers = 0;
        double gainPhase = hpPhase / innovationVariance;
        double gainFrequency = hpFrequency / innovationVariance;

        // The measured value and what is left of its uncertainty: the offset itself (Kalman), or the
        // moments of the predicted offset restricted to the sample's interval (bounded-error update).
        double measured = adjusted;
        double measuredVariance = 0;
        if (bound.IsBounded)
        {
            double sigma = Math.Sqrt(innovationVariance);
            double leanedMean = -bound.Tilt * innovationVariance;
            if (TruncatedNormal.TryMoments(leanedMean, sigma, adjusted - bound.HalfWidth, adjusted + bound.HalfWidth, out double mean, out double variance))
            {
                measured = mean;
                measuredVariance = variance;
            }
        }

        double phaseEstimate = gainPhase * measured;
        double frequencyEstimate = gainFrequency * measured;

        _pPhase = pPhase - (gainPhase * hpPhase) + (gainPhase * gainPhase * measuredVariance);
        _pCross = pCross - (gainPhase * hpFrequency) + (gainPhase * gainFrequency * measuredVariance);
        _pFrequency = pFrequency - (gainFrequency * hpFrequency) + (gainFrequency * gainFrequency * measuredVariance);

        // Clamp the frequency at ±MAXFREQ (A.5.5.6).
        double previousFrequency = Frequency;
        double wantedFrequency = Frequency + frequencyEstimate;
        double newFrequency = Math.Clamp(wantedFrequency, -_parameters.MaxFrequency, _parameters.MaxFrequency);
        FrequencyClamped = newFrequency != wantedFrequency ? wantedFrequency : null;
        double frequencyChange = newFrequency - previousFrequency;
        Frequency = newFrequency;

        // Jitter and wander: exponential averages with AVG = 4 (A.5.5.6).
        double offsetDifference = Math.Max(Math.Abs(offset - Offset), _parameters.PrecisionSeconds);
        double jitterSquared = Jitter * Jitter;
        Jitter = Math.Sqrt(jitterSquared + (((offsetDifference * offsetDifference) - jitterSquared) / AverageConstant));
        if (State is DisciplineState.Synchronized)
        {
            double wanderSquared = Wander * Wander;
            Wander = Math.Sqrt(Math.Max(0, wanderSquared + (((frequencyChange * frequencyChange) - wanderSquared) / AverageConstant)));
        }

        Offset = offset;
        _lastUpdateTime = now;
        _lastSampleTime = sampleTime;
        _hasUpdate = true;

        State = State switch
        {
            DisciplineState.FrequencySet => DisciplineState.Synchronized,
            DisciplineState.NeverSet => DisciplineState.Frequency,
            DisciplineState.Frequency when _pFrequency <= FrequencySettled * FrequencySettled => DisciplineState.Synchronized,
            _ => State,
        };

        if (State == DisciplineState.Synchronized)
        {
            AdjustPoll(adjusted);
        }

        return Outcome(DisciplineResult.Slew, 0, phaseEstimate, frequencyChange != 0);
    }

    // A.5.5.7: lengthen the poll while offsets stay within PGATE jitters, shorten it quickly otherwise.
    private void AdjustPoll(double offset)
    {
        if (Math.Abs(offset) < PollGate * Jitter)
        {
            _pollCounter += PollExponent;
            if (_pollCounter > PollLimit)
            {
                _pollCounter = PollLimit;
                if (PollExponent < _parameters.MaxPoll)
                {
                    _pollCounter = 0;
                    PollExponent++;
                }
            }
        }
        else
        {
            _pollCounter -= 2 * PollExponent;
            if (_pollCounter < -PollLimit)
            {
                _pollCounter = -PollLimit;
                if (PollExponent > _parameters.MinPoll)
                {
                    _pollCounter = 0;
                    PollExponent--;
                }
            }
        }
    }

    private DisciplineOutcome Outcome(DisciplineResult result, double step, double slew, bool frequencyChanged) =>
        new(result, step, slew, Frequency, frequencyChanged, PollExponent);
}
