// Closed-loop accuracy probe: ClockFilter + ClockDiscipline against TestClockModel with docs/simulation.md's S1
// network (100 µs + Exp(100 µs) each way, poll 64 s after an 8-packet iburst, client +100 ppm and 0.1 s off,
// random-walk wander 1e-9/√s, statistics from 1 h to 6 h over seeds 1–5). It is not the simulator: there is
// no kernel model and slews land at once, so sync times here mean nothing; it only guards the loop filter's
// steady-state accuracy. The benchmark figures come from tests/Stratum.Simulation.
using Stratum.Engine.Discipline;
using Stratum.Engine.Filter;

namespace Stratum.Engine.Tests.Discipline;

public class ClosedLoopAccuracyTests(ITestOutputHelper output)
{
    private static double Exponential(Random random) => -Math.Log(1 - random.NextDouble());

    private static double Normal(Random random)
    {
        double u1 = 1 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    // Returns RMS and max |time error| from 1 h to 6 h. everySample: discipline with each new sample weighted
    // by ClockFilterResult.LatestNoise; otherwise RFC 5905's least-delay sample when it is new.
    private static (double Rms, double Max) RunS1(int seed, bool everySample)
    {
        var random = new Random(seed);
        var clock = new TestClockModel(initialOffset: 0.1, oscillatorError: 100e-6);
        var filter = new ClockFilter(precisionSeconds: 1e-6);
        var discipline = new ClockDiscipline(new DisciplineParameters(MinPoll: 6, MaxPoll: 6));
        double sum = 0;
        double max = 0;
        int count = 0;
        double nextPoll = 1;
        int burst = 8;
        for (int second = 0; second < 6 * 3600; second++)
        {
            clock.OscillatorError += 1e-9 * Normal(random);
            if (second == nextPoll)
            {
                double up = 100e-6 + (100e-6 * Exponential(random));
                double down = 100e-6 + (100e-6 * Exponential(random));
                double t1 = clock.Local;
                double t2 = clock.True + up;
                double t4 = clock.LocalAfter(up + down);
                double offset = ((t2 - t1) + (t2 - t4)) / 2;
                double delay = t4 - t1;
                ClockFilterResult result = filter.Add(new ClockFilterSample(offset, delay, 1e-6 + (15e-6 * delay), second));
                if (everySample || result.IsNew)
                {
                    double previousFrequency = discipline.Frequency;
                    DisciplineOutcome outcome = everySample
                        ? discipline.Update(result.Latest.Offset, result.Latest.Time, second, result.LatestNoise)
                        : discipline.Update(result.Offset, result.Time, second, result.Jitter);
                    clock.Apply(outcome);
                    if (outcome.Result == DisciplineResult.Slew)
                    {
                        filter.Correct(second, outcome.Slew, outcome.Frequency - previousFrequency);
                    }
                    else if (outcome.Result == DisciplineResult.Step)
                    {
                        filter.Reset();
                    }
                }

                nextPoll += --burst > 0 ? 2 : 64;
            }

            clock.Advance(1);
            if (second >= 3600)
            {
                double error = clock.Offset;
                sum += error * error;
                count++;
                max = Math.Max(max, Math.Abs(error));
            }
        }

        return (Math.Sqrt(sum / count), max);
    }

    private double MeanRms(bool everySample)
    {
        double total = 0;
        for (int seed = 1; seed <= 5; seed++)
        {
            (double rms, double max) = RunS1(seed, everySample);
            output.WriteLine($"seed {seed}: RMS {rms * 1e6:F1} µs, max {max * 1e6:F1} µs");
            total += rms;
            Assert.True(max < 150e-6, $"seed {seed}: max {max}");
        }

        output.WriteLine($"mean RMS {total / 5 * 1e6:F1} µs");
        return total / 5;
    }

    [Fact]
    public void ClosedLoop_S1EverySampleWeighted_RmsBelowChronyAndNtpd()
    {
        // Measured 14.7 µs in this model; chronyd 21.7 µs, ntpd 23.3 µs in the reference simulator.
        double mean = MeanRms(everySample: true);
        Assert.True(mean < 17e-6, $"mean RMS {mean}");
    }

    [Fact]
    public void ClosedLoop_S1LeastDelaySampleOnly_Converges()
    {
        // RFC 5905's rule (least-delay sample, each used once): measured 27.7 µs in this model.
        double mean = MeanRms(everySample: false);
        Assert.True(mean < 35e-6, $"mean RMS {mean}");
    }
}
