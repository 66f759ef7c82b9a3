// FakeClockDriver: an IClockDriver over FakeTime for ntpdate tests. The local clock is true time plus
// an error; Step and Slew are recorded (Step also moves the local clock), or refused on request.
// It never touches a real clock.
using Stratum.Core.Wire;
using Stratum.Platform.Clock;

namespace Stratum.Cli.Tests.Ntpdate;

/// <summary>A clock driver over fake time that records writes instead of making them.</summary>
internal sealed class FakeClockDriver : IClockDriver
{
    private readonly FakeTime _time;

    public FakeClockDriver(FakeTime time, double errorSeconds)
    {
        _time = time;
        ErrorNanoseconds = (long)Math.Round(errorSeconds * 1e9);
    }

    /// <summary>Local clock minus true time.</summary>
    public long ErrorNanoseconds { get; private set; }

    public List<double> Steps { get; } = [];

    public List<double> Slews { get; } = [];

    /// <summary>When set, Step and Slew fail with this outcome (EPERM: no CAP_SYS_TIME).</summary>
    public ClockWriteOutcome? RefuseWith { get; set; }

    public string Name => "fake";

    public bool CanAdjust => true;

    public long ReadRealtimeNanoseconds() => _time.TrueNanoseconds + ErrorNanoseconds;

    public long ReadMonotonicNanoseconds() => _time.TrueNanoseconds - FakeTime.Start + 1_000_000_000;

    public long MapKernelRealtime(long kernelRealtimeNanoseconds) => kernelRealtimeNanoseconds;

    public ClockWriteResult Step(double offsetSeconds)
    {
        if (RefuseWith is { } refusal)
        {
            return new ClockWriteResult(refusal, 1, refusal == ClockWriteOutcome.PermissionDenied ? "Operation not permitted" : "Invalid argument");
        }

        Steps.Add(offsetSeconds);
        ErrorNanoseconds += (long)Math.Round(offsetSeconds * 1e9);
        return ClockWriteResult.Applied;
    }

    public ClockWriteResult Slew(double offsetSeconds)
    {
        if (RefuseWith is { } refusal)
        {
            return new ClockWriteResult(refusal, 1, refusal == ClockWriteOutcome.PermissionDenied ? "Operation not permitted" : "Invalid argument");
        }

        Slews.Add(offsetSeconds);
        return ClockWriteResult.Applied;
    }

    public ClockWriteResult SetFrequency(double frequency) => ClockWriteResult.Ignored;

    public ClockWriteResult SetStatus(LeapIndicator leap, bool synchronized, double maxErrorSeconds, double estimatedErrorSeconds) => ClockWriteResult.Ignored;
}
