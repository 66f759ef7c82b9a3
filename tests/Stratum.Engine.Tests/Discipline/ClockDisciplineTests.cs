// ClockDiscipline: RFC 5905 §11.3 state machine (step, stepout, panic, -g, -x), the loop filter's
// convergence against a tiny clock model, the ±500 ppm clamp and poll adjustment.
using Stratum.Engine.Discipline;

namespace Stratum.Engine.Tests.Discipline;

public class ClockDisciplineTests
{
    // Runs a noiseless closed loop: one measurement every 2^poll s at true time; returns the model.
    private static TestClockModel RunLoop(ClockDiscipline discipline, TestClockModel clock, double seconds, double interval = 64)
    {
        double mono = 0;
        while (mono < seconds)
        {
            clock.Advance(interval);
            mono += interval;
            DisciplineOutcome outcome = discipline.Update(clock.Offset, mono, mono, 1e-6);
            Assert.NotEqual(DisciplineResult.Panic, outcome.Result);
            clock.Apply(outcome);
        }

        return clock;
    }

    [Fact]
    public void Discipline_ConstantOffset_ConvergesToZero()
    {
        var discipline = new ClockDiscipline(driftFrequency: 0);
        var clock = new TestClockModel(initialOffset: 0.050, oscillatorError: 0);
        RunLoop(discipline, clock, 3600);
        Assert.True(Math.Abs(clock.Offset) < 1e-6, $"offset {clock.Offset}");
        Assert.Equal(DisciplineState.Synchronized, discipline.State);
    }

    [Fact]
    public void Discipline_ConstantDrift_FrequencyConverges()
    {
        var discipline = new ClockDiscipline();
        var clock = new TestClockModel(initialOffset: 0.010, oscillatorError: 100e-6);
        RunLoop(discipline, clock, 2 * 3600);

        // The correction must cancel the oscillator's +100 ppm: (1 + e)(1 + f) = 1.
        double residual = ((1 + clock.OscillatorError) * (1 + discipline.Frequency)) - 1;
        Assert.True(Math.Abs(residual) < 1e-9, $"residual frequency {residual}");
        Assert.True(Math.Abs(clock.Offset) < 1e-6, $"offset {clock.Offset}");
        Assert.Equal(DisciplineState.Synchronized, discipline.State);
    }

    [Fact]
    public void Discipline_ConstantDrift_SettlesWithinThreeSamples()
    {
        var discipline = new ClockDiscipline();
        var clock = new TestClockModel(initialOffset: 0.010, oscillatorError: -200e-6);
        RunLoop(discipline, clock, 3 * 64);
        Assert.True(Math.Abs(clock.Offset) < 1e-4, $"offset {clock.Offset}");
        Assert.True(Math.Abs(discipline.Frequency - 200e-6) < 1e-6, $"frequency {discipline.Frequency}");
    }

    [Fact]
    public void Discipline_DriftBeyondTolerance_FrequencyClampedAt500Ppm()
    {
        var discipline = new ClockDiscipline();
        var clock = new TestClockModel(initialOffset: 0, oscillatorError: 800e-6);
        double mono = 0;
        for (int i = 0; i < 100; i++)
        {
            clock.Advance(16);
            mono += 16;
            DisciplineOutcome outcome = discipline.Update(clock.Offset, mono, mono, 1e-6);
            clock.Apply(outcome);
            Assert.InRange(outcome.Frequency, -500e-6, 500e-6);
        }

        Assert.Equal(-500e-6, discipline.Frequency, 12);
    }

    [Fact]
    public void Discipline_DriftFile_StartsInFsetAndSynchronizesOnFirstSample()
    {
        var discipline = new ClockDiscipline(driftFrequency: 12e-6);
        Assert.Equal(DisciplineState.FrequencySet, discipline.State);
        Assert.Equal(12e-6, discipline.Frequency);
        DisciplineOutcome outcome = discipline.Update(0.001, 1, 1, 1e-5);
        Assert.Equal(DisciplineResult.Slew, outcome.Result);
        Assert.Equal(0.001, outcome.Slew, 6);
        Assert.Equal(DisciplineState.Synchronized, discipline.State);
    }

    [Fact]
    public void Discipline_DriftFileBeyond500Ppm_Clamped()
    {
        var discipline = new ClockDiscipline(driftFrequency: 900e-6);
        Assert.Equal(500e-6, discipline.Frequency);
    }

    [Fact]
    public void Discipline_FirstOffsetAboveStepThreshold_StepsAtOnce()
    {
        var discipline = new ClockDiscipline();
        DisciplineOutcome outcome = discipline.Update(30, 1, 1, 1e-3);
        Assert.Equal(DisciplineResult.Step, outcome.Result);
        Assert.Equal(30, outcome.Step);
        Assert.Equal(DisciplineState.Frequency, discipline.State);
    }

    [Fact]
    public void Discipline_BigOffsetWhenSynchronized_StepsOnlyAfterStepout()
    {
        var discipline = new ClockDiscipline(driftFrequency: 0);
        var clock = new TestClockModel(initialOffset: 0.001, oscillatorError: 0);
        RunLoop(discipline, clock, 640);
        Assert.Equal(DisciplineState.Synchronized, discipline.State);

        // The server jumps by 0.5 s: held as a spike until stepout (300 s) has passed.
        double mono = 640;
        var results = new List<(double Mono, DisciplineResult Result)>();
        for (int i = 0; i < 8; i++)
        {
            mono += 64;
            DisciplineOutcome outcome = discipline.Update(0.5, mono, mono, 1e-6);
            results.Add((mono, outcome.Result));
            if (outcome.Result == DisciplineResult.Step)
            {
                Assert.Equal(0.5, outcome.Step);
                break;
            }

            Assert.Equal(DisciplineResult.Ignore, outcome.Result);
            Assert.Equal(DisciplineState.Spike, discipline.State);
        }

        // RFC 5905 A.5.5.6: stepout counts from the last valid update (at 640 s).
        (double stepMono, DisciplineResult last) = results[^1];
        Assert.Equal(DisciplineResult.Step, last);
        Assert.True(stepMono - 640 >= 300, $"stepped {stepMono - 640} s after the last valid update");
        Assert.True(stepMono - 640 < 300 + 64);
    }

    [Fact]
    public void Discipline_SpikeThatGoesAway_IsIgnoredAndSyncResumes()
    {
        var discipline = new ClockDiscipline(driftFrequency: 0);
        var clock = new TestClockModel(initialOffset: 0.001, oscillatorError: 0);
        RunLoop(discipline, clock, 640);
        Assert.Equal(DisciplineResult.Ignore, discipline.Update(0.3, 704, 704, 1e-6).Result);
        Assert.Equal(DisciplineState.Spike, discipline.State);
        DisciplineOutcome outcome = discipline.Update(0, 768, 768, 1e-6);
        Assert.Equal(DisciplineResult.Slew, outcome.Result);
        Assert.Equal(DisciplineState.Synchronized, discipline.State);
    }

    [Fact]
    public void Discipline_OffsetBeyondPanic_RefusedWithoutDashG()
    {
        var discipline = new ClockDiscipline();
        Assert.Equal(DisciplineResult.Panic, discipline.Update(1200, 1, 1, 1e-3).Result);
    }

    [Fact]
    public void Discipline_OffsetBeyondPanicWithDashG_FirstStepAllowedThenPanic()
    {
        var discipline = new ClockDiscipline(new DisciplineParameters(AllowFirstPanicStep: true));
        DisciplineOutcome first = discipline.Update(1200, 1, 1, 1e-3);
        Assert.Equal(DisciplineResult.Step, first.Result);
        Assert.Equal(1200, first.Step);
        Assert.Equal(DisciplineResult.Panic, discipline.Update(-1500, 65, 65, 1e-3).Result);
    }

    [Fact]
    public void Discipline_PanicDisabled_StepsAnyOffset()
    {
        var discipline = new ClockDiscipline(new DisciplineParameters(PanicThreshold: 0));
        Assert.Equal(DisciplineResult.Step, discipline.Update(5000, 1, 1, 1e-3).Result);
    }

    [Fact]
    public void Discipline_SlewOnly_SlewsHalfASecond()
    {
        var discipline = new ClockDiscipline(new DisciplineParameters(SlewOnly: true));
        Assert.Equal(600, discipline.Parameters.EffectiveStepThreshold);
        DisciplineOutcome outcome = discipline.Update(0.5, 1, 1, 1e-3);
        Assert.Equal(DisciplineResult.Slew, outcome.Result);
        Assert.Equal(0.5, outcome.Slew, 3);
    }

    [Fact]
    public void Discipline_StepThresholdZero_NeverSteps()
    {
        var discipline = new ClockDiscipline(new DisciplineParameters(StepThreshold: 0));
        Assert.Equal(DisciplineResult.Slew, discipline.Update(10, 1, 1, 1e-3).Result);
    }

    [Theory]
    [InlineData(-0.5, DisciplineResult.Slew)] // clock 0.5 s ahead: a backward step, under stepback 1
    [InlineData(0.5, DisciplineResult.Step)] // clock 0.5 s behind: a forward step, over stepfwd 0.2
    [InlineData(-1.5, DisciplineResult.Step)]
    public void Discipline_StepbackAndStepfwd_SetTheThresholdPerDirection(double offset, DisciplineResult expected)
    {
        var discipline = new ClockDiscipline(new DisciplineParameters(StepThreshold: 0.128) { StepBackThreshold = 1, StepForwardThreshold = 0.2 });
        Assert.Equal(expected, discipline.Update(offset, 1, 1, 1e-3).Result);
    }

    [Fact]
    public void Discipline_StepbackZero_NeverStepsBack_ButStillStepsForward()
    {
        Assert.Equal(DisciplineResult.Slew,
            new ClockDiscipline(new DisciplineParameters { StepBackThreshold = 0 }).Update(-10, 1, 1, 1e-3).Result);
        Assert.Equal(DisciplineResult.Step,
            new ClockDiscipline(new DisciplineParameters { StepBackThreshold = 0 }).Update(10, 1, 1, 1e-3).Result);
    }

    [Fact]
    public void Discipline_SampleFromBeforeStep_Ignored()
    {
        var discipline = new ClockDiscipline();
        Assert.Equal(DisciplineResult.Step, discipline.Update(1, 10, 10, 1e-3).Result);
        Assert.Equal(DisciplineResult.Ignore, discipline.Update(0.001, 9, 12, 1e-3).Result);
        Assert.Equal(DisciplineResult.Slew, discipline.Update(0.001, 11, 12, 1e-3).Result);
    }

    [Fact]
    public void Discipline_QuietOffsets_PollGrowsToMaxPoll()
    {
        var discipline = new ClockDiscipline(new DisciplineParameters(MinPoll: 6, MaxPoll: 10), driftFrequency: 0);
        var clock = new TestClockModel(initialOffset: 0, oscillatorError: 0);
        double mono = 0;
        for (int i = 0; i < 200; i++)
        {
            double interval = Math.Pow(2, discipline.PollExponent);
            clock.Advance(interval);
            mono += interval;
            clock.Apply(discipline.Update(clock.Offset, mono, mono, 1e-6));
        }

        Assert.Equal(10, discipline.PollExponent);
        Assert.Equal(10, discipline.Status.TimeConstant);
    }

    [Fact]
    public void Discipline_FrequencyJumpAtMaxPoll_RecoversWithinTenPolls()
    {
        var discipline = new ClockDiscipline(new DisciplineParameters(MinPoll: 6, MaxPoll: 10), driftFrequency: 0);
        var clock = new TestClockModel(initialOffset: 0, oscillatorError: 0);
        double mono = 0;
        for (int i = 0; i < 200; i++)
        {
            double interval = Math.Pow(2, discipline.PollExponent);
            clock.Advance(interval);
            mono += interval;
            clock.Apply(discipline.Update(clock.Offset, mono, mono, 1e-6));
        }

        clock.OscillatorError = 20e-6;
        for (int i = 0; i < 10; i++)
        {
            double interval = Math.Pow(2, discipline.PollExponent);
            clock.Advance(interval);
            mono += interval;
            clock.Apply(discipline.Update(clock.Offset, mono, mono, 1e-6));
        }

        Assert.True(Math.Abs(discipline.Frequency + 20e-6) < 1e-7, $"frequency {discipline.Frequency}");
        Assert.True(Math.Abs(clock.Offset) < 1e-3, $"offset {clock.Offset}");
    }

    [Fact]
    public void Discipline_OffsetsAboveJitterGate_PollShortensToMinPoll()
    {
        var discipline = new ClockDiscipline(new DisciplineParameters(MinPoll: 6, MaxPoll: 10), driftFrequency: 0);
        var clock = new TestClockModel(initialOffset: 0, oscillatorError: 0);
        double mono = 0;
        for (int i = 0; i < 200; i++)
        {
            double interval = Math.Pow(2, discipline.PollExponent);
            clock.Advance(interval);
            mono += interval;
            clock.Apply(discipline.Update(clock.Offset, mono, mono, 1e-6));
        }

        Assert.Equal(10, discipline.PollExponent);

        // A constant 1 ms the driver never removes: every offset is far above 4 × jitter.
        for (int i = 0; i < 40; i++)
        {
            mono += Math.Pow(2, discipline.PollExponent);
            discipline.Update(0.001, mono, mono, 1e-6);
        }

        Assert.Equal(6, discipline.PollExponent);
    }

    [Fact]
    public void Discipline_SlowSlewWithPendingReported_FrequencyNotDisturbed()
    {
        // The driver slews at 500 ppm, so 0.1 s takes 200 s; iburst samples arrive every 2 s meanwhile.
        var discipline = new ClockDiscipline(driftFrequency: 0);
        var clock = new TestClockModel(initialOffset: 0.1, oscillatorError: 0);
        double pending = 0;
        for (int second = 1; second <= 600; second++)
        {
            double applied = Math.Clamp(pending, -500e-6, 500e-6);
            clock.Apply(new DisciplineOutcome(DisciplineResult.Slew, 0, applied, clock.Frequency, false, 6));
            pending -= applied;
            clock.Advance(1);
            if (second <= 16 ? second % 2 == 0 : second % 64 == 0)
            {
                // SourceManager takes the pending slew out of each sample before the discipline sees it.
                DisciplineOutcome outcome = discipline.Update(clock.Offset - pending, second, second, 1e-6);
                pending += outcome.Slew;
                clock.Apply(outcome with { Slew = 0 });
            }
        }

        Assert.True(Math.Abs(discipline.Frequency) < 0.1e-6, $"frequency {discipline.Frequency}");
        Assert.True(Math.Abs(clock.Offset) < 1e-5, $"offset {clock.Offset}");
    }

    // A settled loop, its clock 2 µs ahead: the next sample arrives with an error interval.
    private static ClockDiscipline Settled()
    {
        var discipline = new ClockDiscipline(driftFrequency: 0);
        var clock = new TestClockModel(initialOffset: 0.001, oscillatorError: 0);
        RunLoop(discipline, clock, 4 * 3600);
        Assert.Equal(DisciplineState.Synchronized, discipline.State);
        return discipline;
    }

    [Fact]
    public void BoundedUpdate_WithoutBound_IsTheKalmanUpdate()
    {
        DisciplineOutcome plain = Settled().Update(20e-6, 4 * 3600 + 64, 4 * 3600 + 64, 30e-6);
        DisciplineOutcome unbounded = Settled().Update(20e-6, 4 * 3600 + 64, 4 * 3600 + 64, 30e-6, OffsetBound.None);
        Assert.Equal(plain, unbounded);
        Assert.True(plain.Slew > 0);
    }

    [Fact]
    public void BoundedUpdate_AnIntervalHoldingEveryLikelyOffset_ChangesNothing()
    {
        // The filter expects the offset within a few µs; a sample 300 µs off whose interval spans ±1 ms
        // tells nothing, where the Kalman update with its normal spread still moves the clock.
        double now = (4 * 3600) + 64;
        DisciplineOutcome wide = Settled().Update(300e-6, now, now, 1e-6, new OffsetBound(1e-3, 0));
        DisciplineOutcome normal = Settled().Update(300e-6, now, now, 300e-6);
        Assert.True(Math.Abs(wide.Slew) < 1e-8, $"{wide.Slew}");
        Assert.True(Math.Abs(normal.Slew) > 10 * Math.Abs(wide.Slew), $"{normal.Slew}");
    }

    [Fact]
    public void BoundedUpdate_ATightInterval_PinsThePhase()
    {
        // Early on (the frequency known to 2 ppm from the drift file, so the phase to about 100 µs at the
        // second update), an interval of ±0.5 µs about 8 µs moves the phase onto it.
        var discipline = new ClockDiscipline(driftFrequency: 0);
        Assert.Equal(DisciplineResult.Slew, discipline.Update(0, 64, 64, 1e-6).Result);
        DisciplineOutcome tight = discipline.Update(8e-6, 128, 128, 1e-6, new OffsetBound(0.5e-6, 0));
        Assert.InRange(tight.Slew, 7.4e-6, 8.5e-6);
    }

    [Fact]
    public void BoundedUpdate_TheLean_MovesTheEstimateAgainstIt()
    {
        // A sample whose error leans positive (the measured offset tends to sit above the true one).
        double now = (4 * 3600) + 64;
        DisciplineOutcome even = Settled().Update(0, now, now, 1e-6, new OffsetBound(50e-6, 0));
        DisciplineOutcome leaning = Settled().Update(0, now, now, 1e-6, OffsetBound.WithMeanError(50e-6, 20e-6));
        Assert.True(leaning.Slew < even.Slew, $"{leaning.Slew} vs {even.Slew}");
    }

    [Fact]
    public void BoundedUpdate_FarOutsideItsInterval_IsHeldAsAnOutlier()
    {
        double now = (4 * 3600) + 64;
        ClockDiscipline discipline = Settled();
        Assert.Equal(DisciplineResult.Ignore, discipline.Update(5e-3, now, now, 1e-6, new OffsetBound(100e-6, 0)).Result);
    }
}
