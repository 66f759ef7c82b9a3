// ClockActionApplier: carries out the Engine's clock actions (step, phase correction, frequency) on a
// clock driver, in one place for the daemon host and the simulator. It owns the choice between the
// two disciplines of RFC 5905 §11.3 / ntpd's `enable|disable kernel`:
// - kernel (default): each phase correction goes to the kernel PLL (ADJ_OFFSET, STA_PLL), which slews
//   it out smoothly with time constant 2^(SHIFT_PLL + tc) seconds; the frequency stays ours
//   (STA_FREQHOLD, set by the driver), because the Engine's loop filter already estimates it;
// - user space (`disable kernel`): adjtime(3) slews the correction at 500 ppm.
// A correction larger than the kernel accepts (MAXPHASE, 0.5 s: only under -x) goes through adjtime.
// With frequency slewing (the daemon's choice, when the driver can run the clock fast or slow by more
// than adjtime's 500 ppm), every correction in user space and the large ones with the kernel (above
// KernelSlewLimit: the start-up offset, a recovered spike) run as a FrequencySlew instead, whose progress
// is known exactly at every instant; the kernel PLL keeps the small steady-state corrections.
// The first successful kernel-PLL call yields "kernel time sync enabled" with the status word, as
// ntpd logs it; a failed write is reported once, not once per poll.
using Stratum.Engine;

namespace Stratum.Platform.Clock;

/// <summary>Applies <see cref="ClockAction"/>s to an <see cref="IClockDriver"/>.</summary>
public sealed class ClockActionApplier
{
    /// <summary>The kernel PLL takes offsets up to ±0.5 s (MAXPHASE).</summary>
    public const double KernelMaxPhase = 0.5;

    /// <summary>Status word the kernel discipline runs with: STA_PLL | STA_FREQHOLD | STA_NANO.</summary>
    public const int KernelStatusWord = 0x0001 | 0x0080 | 0x2000;

    /// <summary>With frequency slewing, kernel mode hands the PLL corrections up to this size, seconds: its
    /// per-second chunks are then small enough that not knowing where the kernel is in its second costs
    /// little (a quarter of this at most).</summary>
    public const double KernelSlewLimit = 0.001;

    private readonly IClockDriver _clock;
    private readonly FrequencySlew? _frequencySlew;
    private readonly Func<long> _monotonicNow;
    private bool _failureReported;

    /// <param name="clock">The driver that adjusts the clock.</param>
    /// <param name="useKernel">True for `enable kernel` (ntpd's default), false for `disable kernel`.</param>
    /// <param name="slewByFrequency">Slew through the frequency where the driver can (see the file header);
    /// the caller then calls <see cref="OnDeadline"/> at <see cref="Deadline"/>.</param>
    /// <param name="monotonicNow">CLOCK_MONOTONIC in ns (the driver's by default).</param>
    public ClockActionApplier(IClockDriver clock, bool useKernel, bool slewByFrequency = false, Func<long>? monotonicNow = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        UseKernel = useKernel;
        _monotonicNow = monotonicNow ?? clock.ReadMonotonicNanoseconds;
        if (slewByFrequency && clock.CanAdjust && clock.MaxSlewFrequency > 0)
        {
            _frequencySlew = new FrequencySlew(clock);
        }
    }

    /// <summary>Monotonic ns at which <see cref="OnDeadline"/> must run (a frequency slew ends); long.MaxValue if none.</summary>
    public long Deadline => _frequencySlew?.Deadline ?? long.MaxValue;

    /// <summary>Ends a frequency slew that is due.</summary>
    public void OnDeadline(long now) => _frequencySlew?.OnDeadline(now);

    /// <summary>Phase the clock will still move by, with its uncertainty: the driver's slews and ours.</summary>
    public PendingSlew ReadPendingSlew()
    {
        PendingSlew driver = _clock.ReadPendingSlew();
        return _frequencySlew is { Active: true } slew
            ? driver with { Seconds = driver.Seconds + slew.Remaining(_monotonicNow()) }
            : driver;
    }

    /// <summary>True when phase corrections go to the kernel PLL.</summary>
    public bool UseKernel { get; }

    /// <summary>True once the kernel PLL has accepted an offset.</summary>
    public bool KernelEnabled { get; private set; }

    /// <summary>Applies one action. Returns a line to log, or null: "kernel time sync enabled 2081" the first
    /// time the kernel PLL takes over, or the first failure ("cannot adjust the clock …").</summary>
    public ClockActionReport? Apply(ClockAction action)
    {
        ClockWriteResult result;
        ClockActionReport? message = null;
        switch (action.Kind)
        {
            case ClockActionKind.Step:
                _frequencySlew?.Stop();
                result = _clock.Step(action.Value);
                break;
            case ClockActionKind.Slew when _frequencySlew is not null && !(UseKernel && Math.Abs(action.Value) <= KernelSlewLimit):
                // The value is all the clock is still to move; what the driver cannot take back (this
                // second's chunk) is left out of the slew.
                result = _frequencySlew.Start(action.Value - _clock.CancelSlew(), _monotonicNow());
                break;
            case ClockActionKind.Slew when UseKernel && Math.Abs(action.Value) <= KernelMaxPhase:
                _frequencySlew?.Stop();
                result = _clock.ApplyKernelPllOffset(action.Value, action.TimeConstant);
                if (result.Outcome == ClockWriteOutcome.Applied && !KernelEnabled)
                {
                    KernelEnabled = true;
                    int status = _clock is LinuxClockDriver linux ? linux.KernelStatusWord : KernelStatusWord;
                    message = new ClockActionReport(false, FormattableString.Invariant($"kernel time sync enabled {status:x4}")) { KernelEnabled = true };
                }

                break;
            case ClockActionKind.Slew:
                result = _clock.Slew(action.Value);
                break;
            case ClockActionKind.SetFrequency:
                result = _frequencySlew?.SetBaseFrequency(action.Value) ?? _clock.SetFrequency(action.Value);
                break;
            case ClockActionKind.SetLeapStatus:
                // maxerror: the kernel adds 500 µs/s to it and reports the clock unsynchronized at 16 s.
                result = _clock.SetStatus(action.Leap, synchronized: true, action.Value, action.Value);
                break;
            default:
                return null;
        }

        if (!result.Succeeded && !_failureReported)
        {
            _failureReported = true;
            return new ClockActionReport(true, $"cannot adjust the clock ({action.Kind}): {result.Detail} (needs root or CAP_SYS_TIME)");
        }

        return message;
    }
}

/// <summary>A line for the log from <see cref="ClockActionApplier.Apply"/>; <paramref name="Failed"/> marks an error.</summary>
public readonly record struct ClockActionReport(bool Failed, string Text)
{
    /// <summary>The kernel discipline was just switched on (ntpd's `kern` protocol event).</summary>
    public bool KernelEnabled { get; init; }
}
