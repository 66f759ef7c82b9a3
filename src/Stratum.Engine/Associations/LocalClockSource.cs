// LocalClockSource: the local clock driver (ntpd refclock type 1). It reports the system clock as
// its own reference, shifted by `fudge time1` seconds, at the fudge stratum; it is the fallback
// that keeps a server (or an isolated network) serving time when no upstream is reachable.
// Its first sample comes one second after start so the daemon is serving its stratum within
// seconds, not after ntpd's first 64 s poll. Later samples follow every 2^6 s.
using Stratum.Core.Wire;

namespace Stratum.Engine.Associations;

/// <summary>State of one local clock association.</summary>
public sealed class LocalClockSource
{
    private const long FirstSampleDelay = LoopTime.NanosecondsPerSecond;
    private const long PollInterval = 64 * LoopTime.NanosecondsPerSecond;

    public LocalClockSource(LocalClockSettings settings, sbyte precision)
    {
        Settings = settings;
        Precision = precision;
    }

    public LocalClockSettings Settings { get; }

    public sbyte Precision { get; }

    /// <summary>8-bit reach register (RFC 5905 §9.2): a 1 shifted in for each sample.</summary>
    public byte Reach { get; private set; }

    /// <summary>Offset of the last sample: the driver's time minus the system clock, i.e. time1.</summary>
    public double LastOffset { get; private set; }

    /// <summary>Dispersion of the last sample: the clock reading precision (RFC 5905 §8 epsilon).</summary>
    public double LastDispersion { get; private set; }

    public long NextPollMono { get; private set; }

    /// <summary>Real time of the last sample (ntpq's "rec"); zero before the first.</summary>
    public Stratum.Core.Time.NtpTimestamp LastSampleTime { get; private set; }

    public bool HasSample => Reach != 0;

    public void Start(LoopTime now) => NextPollMono = now.Mono + FirstSampleDelay;

    /// <summary>Takes a sample when due; returns true when it did.</summary>
    public bool Poll(LoopTime now)
    {
        if (now.Mono < NextPollMono)
        {
            return false;
        }

        Reach = (byte)((Reach << 1) | 1);
        LastSampleTime = now.Real;
        LastOffset = Settings.Time1Seconds;
        LastDispersion = Math.ScaleB(1.0, Precision);
        NextPollMono = now.Mono + PollInterval;
        return true;
    }

    /// <summary>The refid the system serves while this source is the system peer.</summary>
    public ReferenceId ReferenceId => Settings.ReferenceId;
}
