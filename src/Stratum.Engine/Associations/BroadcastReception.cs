// BroadcastReception: the listening half of a broadcast client association (ntpd's MODE_BCLIENT; RFC
// 5905 §8 "broadcast mode": only T3 and T4 are known, so the offset is T3 - T4 plus half the
// delay, which NTP counts as a round trip). The delay comes from `broadcastdelay` when configured; otherwise from the client/server
// volley that ran first: twice the difference between the volley's offset (from its least-delayed
// exchange, kept referred to the clock as the discipline corrects it) and the first broadcast's T3 - T4,
// as ntpd 4.2.8 calibrates it; a volley nobody answered
// leaves ntpd's documented default of 4 ms. Two checks guard the listening (ntpd 4.2.8p7 and later):
// a broadcast sooner after the last one than the server's poll interval allows is refused (a replay
// under a fresh transmit time or a flood), and, with `tos bcpollbstep N`, a server whose time goes
// backwards is believed only after N poll intervals.
using Stratum.Core.Time;

namespace Stratum.Engine.Associations;

/// <summary>Delay calibration and arrival checks of one broadcast client association.</summary>
internal sealed class BroadcastReception
{
    /// <summary>The delay assumed when neither `broadcastdelay` nor a volley gives one (ntpd's documented default).</summary>
    public const double DefaultDelaySeconds = 0.004;

    /// <summary>How much sooner than its poll interval a broadcast may arrive (the server's timer and ours drift).</summary>
    private const double EarlySlackSeconds = 3;

    /// <summary>A measured delay above this is taken as a failed calibration (the default is used).</summary>
    private const double MaxCalibratedDelaySeconds = 1;

    private double _lastArrival = double.NaN;
    private NtpTimestamp _lastTransmit;
    private double _holdUntil = double.NegativeInfinity;
    private double _volleyOffset = double.NaN;
    private double _volleyDelay = double.PositiveInfinity;
    private double _volleyTime;

    public BroadcastReception(double? configuredDelay) => Delay = configuredDelay;

    /// <summary>The delay in use (round trip), or null until the first broadcast after the volley fixes it.</summary>
    public double? Delay { get; private set; }

    /// <summary>A volley exchange was measured (its offset referred to the corrected clock, at monotonic
    /// <paramref name="time"/>): the least-delayed one's offset calibrates the delay.</summary>
    public void RecordVolley(double offset, double delay, double time)
    {
        if (delay < _volleyDelay)
        {
            _volleyDelay = delay;
            _volleyOffset = offset;
            _volleyTime = time;
        }
    }

    /// <summary>The clock was corrected by <paramref name="phase"/> and its frequency by <paramref name="frequencyChange"/>
    /// at <paramref name="time"/>: the volley's offset is referred to the corrected clock (as ClockFilter.Correct does),
    /// or the first broadcast would read the volley-time correction as network delay.</summary>
    public void Correct(double time, double phase, double frequencyChange)
    {
        if (!double.IsNaN(_volleyOffset) && _volleyTime <= time)
        {
            _volleyOffset += (frequencyChange * (time - _volleyTime)) - phase;
        }
    }

    /// <summary>Notes a broadcast's arrival and says whether it may be measured: TooSoon, Backstep or Accepted.</summary>
    /// <param name="transmit">Its transmit timestamp (T3).</param>
    /// <param name="poll">Its poll exponent (the server's broadcast interval).</param>
    /// <param name="arrivalSeconds">Monotonic arrival time.</param>
    /// <param name="backstepPolls">`tos bcpollbstep`: poll intervals a backward step is held back (0: believed at once).</param>
    public ReplyVerdict Admit(NtpTimestamp transmit, sbyte poll, double arrivalSeconds, int backstepPolls)
    {
        double interval = Math.ScaleB(1.0, Math.Clamp((int)poll, PollExponent.MinConfigurable, PollExponent.MaxConfigurable));
        bool tooSoon = !double.IsNaN(_lastArrival) && arrivalSeconds - _lastArrival < interval - EarlySlackSeconds;
        bool backwards = !_lastTransmit.IsZero && (transmit - _lastTransmit).TotalSeconds < 0;
        _lastArrival = arrivalSeconds;
        _lastTransmit = transmit;
        if (tooSoon)
        {
            return ReplyVerdict.TooSoon;
        }

        if (backwards && backstepPolls > 0 && double.IsNegativeInfinity(_holdUntil))
        {
            _holdUntil = arrivalSeconds + (backstepPolls * interval);
        }

        if (arrivalSeconds < _holdUntil)
        {
            return ReplyVerdict.Backstep;
        }

        _holdUntil = double.NegativeInfinity;
        return ReplyVerdict.Accepted;
    }

    /// <summary>Notes a broadcast heard while the volley runs: the next one is judged against it.</summary>
    public void NoteArrival(NtpTimestamp transmit, double arrivalSeconds)
    {
        _lastArrival = arrivalSeconds;
        _lastTransmit = transmit;
    }

    /// <summary>The offset and delay of a broadcast sent at <paramref name="t3"/> and received at <paramref name="t4"/>, with
    /// <paramref name="pendingSlew"/> still to be slewed (the calibration compares both offsets on the corrected clock).</summary>
    public (double Offset, double Delay) Measure(NtpTimestamp t3, NtpTimestamp t4, double pendingSlew)
    {
        double raw = (t3 - t4).TotalSeconds;
        if (Delay is null)
        {
            double calibrated = double.IsNaN(_volleyOffset) ? DefaultDelaySeconds : 2 * Math.Abs(_volleyOffset - (raw - pendingSlew));
            Delay = calibrated <= MaxCalibratedDelaySeconds ? calibrated : DefaultDelaySeconds;
        }

        return (raw + (Delay.Value / 2), Delay.Value);
    }
}
