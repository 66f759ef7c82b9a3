// SimulatedClock: one node's clock state of docs/simulation.md "Clock state per node": `time`
// (CLOCK_REALTIME minus the Unix epoch of the run's start), `mono` (CLOCK_MONOTONIC), `raw`
// (CLOCK_MONOTONIC_RAW) and the oscillator rate f_raw. Over dt of true time, time and mono advance
// by dt × f_total with f_total = f_raw × (tick/tick0 + freq/1e6 + pll_slew + adjtime_slew); raw
// advances by dt × f_raw; steps and leap seconds move only time. The state is kept as differences
// from true time, so doubles keep sub-picosecond resolution over days of ticks. The clock advances
// lazily to the shared true time whenever it is read or changed, and a leap second is applied at
// the exact instant the node's own clock reaches UTC midnight.
namespace Stratum.Simulation.Clock;

/// <summary>A node's simulated clock: oscillator plus kernel discipline.</summary>
public sealed class SimulatedClock
{
    private readonly SimulationTime _trueTime;
    private double _lastTrueTime;
    // Kept as differences from true time (time − T, mono − T, raw − T), not absolute values: the
    // increments dt × (rate − 1) are small, so a day of ticks accumulates no rounding worth seeing.
    private double _timeError;
    private double _monoError;
    private double _rawError;

    /// <param name="trueTime">The simulation's true time T.</param>
    /// <param name="oscillator">The node's crystal.</param>
    /// <param name="kernel">The node's adjtimex state.</param>
    /// <param name="epochUnixSeconds">Unix time at which `time` = 0 (the run's nominal start).</param>
    /// <param name="initialOffsetSeconds">The node's initial offset: time = offset at T = 0.</param>
    public SimulatedClock(SimulationTime trueTime, Oscillator oscillator, KernelDiscipline kernel, long epochUnixSeconds, double initialOffsetSeconds = 0)
    {
        _trueTime = trueTime;
        _lastTrueTime = trueTime.Now;
        Oscillator = oscillator;
        Kernel = kernel;
        EpochUnixSeconds = epochUnixSeconds;
        _timeError = initialOffsetSeconds;
    }

    public Oscillator Oscillator { get; }

    /// <summary>The kernel state. Change it through SimulatedClockDriver, or call <see cref="Synchronize"/>
    /// first, so the time before the change runs at the old rate.</summary>
    public KernelDiscipline Kernel { get; }

    /// <summary>Unix seconds at which <see cref="Time"/> is 0.</summary>
    public long EpochUnixSeconds { get; }

    /// <summary>CLOCK_REALTIME − epoch, seconds.</summary>
    public double Time
    {
        get
        {
            Synchronize();
            return _trueTime.Now + _timeError;
        }
    }

    /// <summary>CLOCK_MONOTONIC, seconds from the start.</summary>
    public double Mono
    {
        get
        {
            Synchronize();
            return _trueTime.Now + _monoError;
        }
    }

    /// <summary>CLOCK_MONOTONIC_RAW, seconds from the start.</summary>
    public double Raw
    {
        get
        {
            Synchronize();
            return _trueTime.Now + _rawError;
        }
    }

    /// <summary>f_total: the rate of time and mono relative to true time.</summary>
    public double TotalRate => 1 + FrequencyError;

    /// <summary>Frequency error f_total − 1 as docs/simulation.md "Measurement" defines it, computed as (1 + e)(1 + k) − 1 without cancellation.</summary>
    public double FrequencyError
    {
        get
        {
            double oscillatorError = Oscillator.FrequencyError;
            double kernelError = Kernel.RateFactorError;
            return oscillatorError + kernelError + (oscillatorError * kernelError);
        }
    }

    /// <summary>The frequency error left once the discipline's frequency correction is applied, without
    /// the slews in progress: (1 + oscillator error)(1 + tick and ADJ_FREQUENCY correction) − 1. This is
    /// how well the client has learned its oscillator (+100 ppm plus wander in the scenarios).</summary>
    public double DisciplinedFrequencyError
    {
        get
        {
            Synchronize();
            double oscillatorError = Oscillator.FrequencyError;
            double correction = Kernel.RateFactorError - Kernel.PllSlewRate - Kernel.AdjtimeSlewRate;
            return oscillatorError + correction + (oscillatorError * correction);
        }
    }

    /// <summary>Time error time − T, seconds.</summary>
    public double TimeError
    {
        get
        {
            Synchronize();
            return _timeError;
        }
    }

    /// <summary>CLOCK_REALTIME as Unix nanoseconds.</summary>
    public long RealtimeNanoseconds => (EpochUnixSeconds * 1_000_000_000) + (long)Math.Round(Time * 1e9);

    /// <summary>CLOCK_MONOTONIC in nanoseconds.</summary>
    public long MonotonicNanoseconds => (long)Math.Round(Mono * 1e9);

    /// <summary>The node's realtime in Unix seconds (fractional).</summary>
    public double UnixSeconds => EpochUnixSeconds + Time;

    /// <summary>True-time seconds from now until mono reaches <paramref name="monoNanoseconds"/> at the present rate.</summary>
    public double TrueSecondsUntilMono(long monoNanoseconds)
    {
        double remaining = ((monoNanoseconds + 0.5) / 1e9) - Mono;
        return remaining <= 0 ? 0 : remaining / TotalRate;
    }

    /// <summary>settime / ADJ_SETOFFSET: moves only `time`.</summary>
    public void Step(double offsetSeconds)
    {
        Synchronize();
        _timeError += offsetSeconds;
    }

    /// <summary>
    /// The model tick: brings the clock to T, then lets the kernel do its second's work (when
    /// <paramref name="kernelSecond"/>) and draws the oscillator's next wander.
    /// </summary>
    public void OnModelTick(bool kernelSecond)
    {
        Synchronize();
        if (kernelSecond)
        {
            _lastKernelSecondTrueTime = _trueTime.Now;
            // A hair of tolerance so a clock exactly on a second boundary is read as that second.
            Kernel.SecondUpdate((long)Math.Floor(EpochUnixSeconds + _trueTime.Now + _timeError + 1e-9));
        }

        Oscillator.Tick();
    }

    /// <summary>Part of the current kernel second still to run (the PLL slews each second's chunk over it).</summary>
    public double KernelSecondRemaining => Math.Clamp(1 - (_trueTime.Now - _lastKernelSecondTrueTime), 0, 1);

    private double _lastKernelSecondTrueTime;

    /// <summary>Advances the state to the present true time.</summary>
    public void Synchronize()
    {
        double now = _trueTime.Now;
        double dt = now - _lastTrueTime;
        if (dt <= 0)
        {
            return;
        }

        double start = _lastTrueTime;
        _lastTrueTime = now;
        double frequencyError = FrequencyError;
        double rawError = Oscillator.FrequencyError;
        if (Kernel.LeapState is KernelLeapState.Insert or KernelLeapState.Delete)
        {
            long leapAt = Kernel.LeapState == KernelLeapState.Insert ? Kernel.NextLeapSecond : Kernel.NextLeapSecond - 1;
            double leapTime = leapAt - EpochUnixSeconds;
            double time = start + _timeError;
            double end = time + (dt * (1 + frequencyError));
            if (time < leapTime && end >= leapTime)
            {
                double beforeLeap = (leapTime - time) / (1 + frequencyError);
                Advance(beforeLeap, frequencyError, rawError);
                _timeError = leapTime - (start + beforeLeap) + (Kernel.LeapState == KernelLeapState.Insert ? -1 : 1);
                Kernel.OnLeapApplied();
                dt -= beforeLeap;
            }
        }

        Advance(dt, frequencyError, rawError);
    }

    private void Advance(double dt, double frequencyError, double rawError)
    {
        _timeError += dt * frequencyError;
        _monoError += dt * frequencyError;
        _rawError += dt * rawError;
    }
}
