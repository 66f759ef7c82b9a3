// KernelDiscipline: the Linux kernel clock discipline as docs/simulation.md "Kernel discipline" models it
// (kernel/time/ntp.c: ntp_update_offset, ntp_update_offset_fll, second_overflow). Frequency clamped
// to ±500 ppm; tick within ±10 % of 10 000 µs; `constant` gets 4 added outside nanosecond mode and is
// capped at 10. Each kernel second: the PLL slews offset_remaining / 2^(shift_pll + constant) and the
// remainder shrinks by that; a singleshot adjtime slews at 500 ppm until done; maxerror grows by
// 500 µs/s and sets STA_UNSYNC at 16 s; the leap state machine advances. On ADJ_OFFSET (with
// STA_PLL): frequency += offset × interval / (4·2^shift_pll·2^constant)², plus the FLL term
// offset / (4·interval) when interval ≥ 256 s and (STA_FLL or interval > 2048 s). The offset is
// clamped to ±0.5 s (MAXPHASE) as Linux does. Limits: PPS and "mode2" FLL are not modelled; the
// kernel second is a model tick on a whole true second, not the node's own second boundary; the
// leap step itself is carried out by SimulatedClock, which knows the node's time.
namespace Stratum.Simulation.Clock;

/// <summary>The simulated adjtimex state of one node.</summary>
public sealed class KernelDiscipline
{
    /// <summary>MAXFREQ: largest frequency correction, ppm.</summary>
    public const double MaxFrequencyPpm = 500;

    /// <summary>MAXPHASE: largest offset ADJ_OFFSET accepts, seconds.</summary>
    public const double MaxPhaseSeconds = 0.5;

    /// <summary>MAXTC: largest time constant after the non-nano +4.</summary>
    public const int MaxTimeConstant = 10;

    /// <summary>The base tick at HZ = 100, µs.</summary>
    public const long BaseTickMicroseconds = 10_000;

    /// <summary>MAX_TICKADJ: the singleshot adjtime rate, ppm (µs per second).</summary>
    public const double AdjtimeRatePpm = 500;

    /// <summary>NTP_PHASE_LIMIT: maxerror at which STA_UNSYNC is set, seconds.</summary>
    public const double PhaseLimitSeconds = 16;

    /// <summary>MINSEC: shortest update interval for the FLL term, seconds.</summary>
    public const double FllMinimumInterval = 256;

    /// <summary>MAXSEC: interval beyond which the FLL term applies even without STA_FLL, seconds.</summary>
    public const double FllMaximumInterval = 2048;

    private const int ShiftFll = 2;
    private const int SecondsPerDay = 86_400;

    private double? _lastOffsetUpdateSeconds;

    /// <param name="shiftPll">SHIFT_PLL: 2 in current Linux and in the reference scenarios.</param>
    public KernelDiscipline(int shiftPll = 2)
    {
        ShiftPll = shiftPll;
    }

    public int ShiftPll { get; }

    /// <summary>Status bits; a booted kernel starts unsynchronized.</summary>
    public KernelStatus Status { get; private set; } = KernelStatus.Unsynchronized;

    /// <summary>The time constant in use (after the non-nano +4 and the cap).</summary>
    public int TimeConstant { get; private set; }

    /// <summary>Frequency correction, ppm (freq_scaled / 65536).</summary>
    public double FrequencyPpm { get; private set; }

    /// <summary>Tick length, µs.</summary>
    public long TickMicroseconds { get; private set; } = BaseTickMicroseconds;

    /// <summary>The PLL offset still to be slewed, seconds (what adjtimex reports as offset).</summary>
    public double PllOffsetRemaining { get; private set; }

    /// <summary>The PLL slew of the current kernel second, s/s.</summary>
    public double PllSlewRate { get; private set; }

    /// <summary>The singleshot adjtime offset still to be slewed, seconds.</summary>
    public double AdjtimeRemaining { get; private set; }

    /// <summary>The adjtime slew of the current kernel second, s/s.</summary>
    public double AdjtimeSlewRate { get; private set; }

    public double MaxErrorSeconds { get; private set; } = PhaseLimitSeconds;

    public double EstimatedErrorSeconds { get; private set; } = PhaseLimitSeconds;

    public KernelLeapState LeapState { get; private set; } = KernelLeapState.Ok;

    /// <summary>Unix second of the next leap (UTC midnight), or long.MaxValue when none is armed.</summary>
    public long NextLeapSecond { get; private set; } = long.MaxValue;

    /// <summary>Rate factor applied to f_raw: tick/tick0 + freq/1e6 + pll_slew + adjtime_slew.</summary>
    public double RateFactor => 1 + RateFactorError;

    /// <summary>RateFactor − 1, computed without adding and removing 1 (keeps precision).</summary>
    public double RateFactorError =>
        ((double)(TickMicroseconds - BaseTickMicroseconds) / BaseTickMicroseconds) + (FrequencyPpm / 1e6) + PllSlewRate + AdjtimeSlewRate;

    /// <summary>ADJ_FREQUENCY: sets the frequency correction, clamped to ±500 ppm.</summary>
    public void SetFrequencyPpm(double ppm) => FrequencyPpm = Math.Clamp(ppm, -MaxFrequencyPpm, MaxFrequencyPpm);

    /// <summary>ADJ_TICK: false (EINVAL) outside ±10 % of the base tick.</summary>
    public bool SetTick(long microseconds)
    {
        if (microseconds < BaseTickMicroseconds * 9 / 10 || microseconds > BaseTickMicroseconds * 11 / 10)
        {
            return false;
        }

        TickMicroseconds = microseconds;
        return true;
    }

    /// <summary>ADJ_TIMECONST: 4 is added outside nanosecond mode; the result is kept within 0..10.</summary>
    public void SetTimeConstant(int constant)
    {
        int value = (Status & KernelStatus.Nanosecond) != 0 ? constant : constant + 4;
        TimeConstant = Math.Clamp(value, 0, MaxTimeConstant);
    }

    /// <summary>ADJ_STATUS: sets the writable bits. Turning STA_PLL on starts the update interval;
    /// turning it off resets the leap state and marks the clock unsynchronized, as Linux does.</summary>
    public void SetStatus(KernelStatus status, double nowSeconds)
    {
        bool pllWasOn = (Status & KernelStatus.Pll) != 0;
        bool pllIsOn = (status & KernelStatus.Pll) != 0;
        if (pllWasOn && !pllIsOn)
        {
            LeapState = KernelLeapState.Ok;
            NextLeapSecond = long.MaxValue;
            status |= KernelStatus.Unsynchronized;
        }
        else if (!pllWasOn && pllIsOn)
        {
            _lastOffsetUpdateSeconds = nowSeconds;
        }

        Status = (status & ~KernelStatus.FllMode) | (Status & KernelStatus.FllMode);
    }

    /// <summary>ADJ_MAXERROR / ADJ_ESTERROR.</summary>
    public void SetErrorEstimates(double maxErrorSeconds, double estimatedErrorSeconds)
    {
        MaxErrorSeconds = Math.Clamp(maxErrorSeconds, 0, PhaseLimitSeconds);
        EstimatedErrorSeconds = Math.Clamp(estimatedErrorSeconds, 0, PhaseLimitSeconds);
    }

    /// <summary>
    /// ADJ_OFFSET in PLL mode (ntp_update_offset): replaces the remaining offset and updates the
    /// frequency. <paramref name="nowSeconds"/> is the node's realtime, for the update interval.
    /// Returns false (ignored) when STA_PLL is off.
    /// </summary>
    public bool ApplyOffset(double offsetSeconds, double nowSeconds)
    {
        if ((Status & KernelStatus.Pll) == 0)
        {
            return false;
        }

        double offset = Math.Clamp(offsetSeconds, -MaxPhaseSeconds, MaxPhaseSeconds);
        double interval = _lastOffsetUpdateSeconds is double last ? nowSeconds - last : 0;
        if ((Status & KernelStatus.FrequencyHold) != 0 || interval < 0)
        {
            interval = 0;
        }

        _lastOffsetUpdateSeconds = nowSeconds;

        double frequencyChange = FllTerm(offset, interval);
        double pllDenominator = 4.0 * Math.Pow(2, ShiftPll) * Math.Pow(2, TimeConstant);
        frequencyChange += offset * interval / (pllDenominator * pllDenominator);
        SetFrequencyPpm(FrequencyPpm + (frequencyChange * 1e6));
        PllOffsetRemaining = offset;
        return true;
    }

    /// <summary>adjtime(2): starts a singleshot slew at 500 ppm; returns the offset left from the previous one.</summary>
    public double StartAdjtime(double offsetSeconds)
    {
        double previous = AdjtimeRemaining;
        AdjtimeRemaining = offsetSeconds;
        return previous;
    }

    /// <summary>
    /// The once-a-second work (second_overflow) at the start of kernel second <paramref name="unixSecond"/>:
    /// maxerror growth, the leap state machine, and the PLL and adjtime slews for the coming second.
    /// </summary>
    public void SecondUpdate(long unixSecond)
    {
        MaxErrorSeconds += AdjtimeRatePpm / 1e6;
        if (MaxErrorSeconds > PhaseLimitSeconds)
        {
            MaxErrorSeconds = PhaseLimitSeconds;
            Status |= KernelStatus.Unsynchronized;
        }

        AdvanceLeapState(unixSecond);

        double pllStep = PllOffsetRemaining / Math.Pow(2, ShiftPll + TimeConstant);
        PllOffsetRemaining -= pllStep;
        PllSlewRate = pllStep;

        double adjtimeLimit = AdjtimeRatePpm / 1e6;
        double adjtimeStep = Math.Clamp(AdjtimeRemaining, -adjtimeLimit, adjtimeLimit);
        AdjtimeRemaining -= adjtimeStep;
        AdjtimeSlewRate = adjtimeStep;
    }

    /// <summary>Called by the clock once it has stepped for the leap second.</summary>
    public void OnLeapApplied()
    {
        if (LeapState == KernelLeapState.Insert)
        {
            LeapState = KernelLeapState.InProgress;
        }
        else if (LeapState == KernelLeapState.Delete)
        {
            LeapState = KernelLeapState.Wait;
            NextLeapSecond = long.MaxValue;
        }
    }

    private double FllTerm(double offset, double interval)
    {
        Status &= ~KernelStatus.FllMode;
        if (interval < FllMinimumInterval)
        {
            return 0;
        }

        if ((Status & KernelStatus.Fll) == 0 && interval <= FllMaximumInterval)
        {
            return 0;
        }

        Status |= KernelStatus.FllMode;
        return offset / ((1 << ShiftFll) * interval);
    }

    private void AdvanceLeapState(long unixSecond)
    {
        switch (LeapState)
        {
            case KernelLeapState.Ok:
                if ((Status & KernelStatus.InsertLeap) != 0)
                {
                    LeapState = KernelLeapState.Insert;
                    NextLeapSecond = NextMidnight(unixSecond);
                }
                else if ((Status & KernelStatus.DeleteLeap) != 0)
                {
                    LeapState = KernelLeapState.Delete;
                    NextLeapSecond = NextMidnight(unixSecond);
                }

                break;
            case KernelLeapState.Insert when (Status & KernelStatus.InsertLeap) == 0:
            case KernelLeapState.Delete when (Status & KernelStatus.DeleteLeap) == 0:
                LeapState = KernelLeapState.Ok;
                NextLeapSecond = long.MaxValue;
                break;
            case KernelLeapState.InProgress when unixSecond >= NextLeapSecond:
                // The repeated second 23:59:60 is over.
                LeapState = KernelLeapState.Wait;
                NextLeapSecond = long.MaxValue;
                break;
            case KernelLeapState.Wait when (Status & (KernelStatus.InsertLeap | KernelStatus.DeleteLeap)) == 0:
                LeapState = KernelLeapState.Ok;
                break;
        }
    }

    private static long NextMidnight(long unixSecond) => unixSecond + SecondsPerDay - (((unixSecond % SecondsPerDay) + SecondsPerDay) % SecondsPerDay);
}
