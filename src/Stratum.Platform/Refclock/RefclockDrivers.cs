// RefclockDrivers: the reference clock drivers of the daemon (IReferenceClockDriver: SHM, type 28;
// NMEA, type 20) and their
// schedule on the event loop: every driver is read once a second, and each association is polled at
// its own poll interval (2^hpoll s, minpoll to maxpoll as the discipline sets it), the driver's
// readings of the interval going to the Engine as one sample — or none, which shifts a 0 into the
// reach register. Like iburst for a server, the first polls come 2 s apart (the first 4 s after
// start), so the clock filter holds enough samples for selection within about 15 s rather than
// after several minutes of 2^minpoll polls.
using Stratum.Core.Wire;
using Stratum.Engine;

namespace Stratum.Platform.Refclock;

/// <summary>Reference clock drivers by association.</summary>
public sealed class RefclockDrivers : IDisposable
{
    private const long Second = LoopTime.NanosecondsPerSecond;
    private const long FirstPollDelay = 4 * Second;
    private const long BurstSpacing = 2 * Second;
    private const int BurstPolls = 6;

    private readonly List<Entry> _entries = [];
    private long _nextReadMono;

    public int Count => _entries.Count;

    /// <summary>Adds the driver of association <paramref name="associationId"/>.</summary>
    public void Add(int associationId, IReferenceClockDriver driver)
    {
        ArgumentNullException.ThrowIfNull(driver);
        _entries.Add(new Entry(associationId, driver));
    }

    /// <summary>Reads the drivers when a second has passed and hands due polls to the engine;
    /// returns the next deadline (monotonic ns).</summary>
    public long OnTimer(LoopTime now, NtpEngine engine, EngineActions actions, Clock.PendingSlew pendingSlew)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (_entries.Count == 0)
        {
            return long.MaxValue;
        }

        if (now.Mono >= _nextReadMono)
        {
            foreach (Entry entry in _entries)
            {
                entry.Driver.Read();
            }

            _nextReadMono = now.Mono + Second;
        }

        long deadline = _nextReadMono;
        foreach (Entry entry in _entries)
        {
            if (entry.NextPollMono == 0)
            {
                entry.NextPollMono = now.Mono + FirstPollDelay;
            }
            else if (now.Mono >= entry.NextPollMono)
            {
                bool sampled = entry.Driver.TakeSample(out double offset, out double jitter);
                engine.OnRefclockPoll(entry.AssociationId, sampled ? offset : null, jitter, entry.Driver.Leap, entry.Driver.Precision, now, actions, pendingSlew.Seconds, pendingSlew.Uncertainty);
                entry.NextPollMono = now.Mono + (entry.BurstPollsLeft-- > 0
                    ? BurstSpacing
                    : Second << Math.Clamp((int)PollOf(engine, entry.AssociationId), 0, 17));
            }

            deadline = Math.Min(deadline, entry.NextPollMono);
        }

        return deadline;
    }

    private static sbyte PollOf(NtpEngine engine, int associationId)
    {
        foreach (Stratum.Engine.Associations.RemoteSource source in engine.Sources.Sources)
        {
            if (source.Id == associationId)
            {
                return source.Association.HostPoll;
            }
        }

        return 6;
    }

    public void Dispose()
    {
        foreach (Entry entry in _entries)
        {
            entry.Driver.Dispose();
        }

        _entries.Clear();
    }

    private sealed class Entry(int associationId, IReferenceClockDriver driver)
    {
        public int AssociationId { get; } = associationId;

        public IReferenceClockDriver Driver { get; } = driver;

        public long NextPollMono { get; set; }

        public int BurstPollsLeft { get; set; } = BurstPolls;
    }
}
