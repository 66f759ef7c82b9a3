// NtpEngine: the daemon's decisions, free of I/O (ARCHITECTURE.md §3). The first suite holds the
// system variables, the time server and the local clock driver: when a local clock has a sample it
// becomes the system peer and the system serves stratum = its stratum + 1 (RFC 5905 §11.2.2
// clock_update), refid = the driver's refid. Remote associations, selection and discipline arrive
// with the sync engine; until then configured remote sources are reported once as not implemented.
using Stratum.Core.Wire;
using Stratum.Engine.Associations;
using Stratum.Engine.Control;
using Stratum.Engine.Server;
using Stratum.Engine.SystemState;

namespace Stratum.Engine;

/// <summary>Deterministic core of ntpd: call from the event loop thread only.</summary>
public sealed class NtpEngine
{
    private readonly EngineConfiguration _configuration;
    private readonly List<LocalClockSource> _localClocks = [];
    private LocalClockSource? _systemPeer;
    private readonly OrphanMode? _orphan;

    /// <param name="configuration">What to run.</param>
    /// <param name="precision">The measured clock precision exponent.</param>
    /// <param name="random">Cookies and poll jitter for remote associations (a CSPRNG in ntpd).</param>
    public NtpEngine(EngineConfiguration configuration, sbyte precision, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _configuration = configuration;
        System = new SystemVariables(precision);
        Server = new ServerResponder(System, CreateAccessControl(configuration, random)) { Keys = configuration.Keys ?? Access.KeyRing.Empty };
        Control = new ControlResponder(this, random) { ControlKey = configuration.ControlKey };
        foreach (LocalClockSettings settings in configuration.LocalClocks)
        {
            _localClocks.Add(new LocalClockSource(settings, precision));
        }

        var remotes = new List<(int, RemoteAssociationSettings)>();
        foreach (RemoteAssociationSettings remote in configuration.RemoteAssociations ?? [])
        {
            remotes.Add((_localClocks.Count + remotes.Count + 1, remote));
        }

        if (remotes.Count > 0 && random is null)
        {
            throw new ArgumentNullException(nameof(random), "remote associations need a random source");
        }

        _orphan = configuration.Orphan is { } orphan ? new OrphanMode(orphan) : null;
        Sources = new SourceManager(remotes, System, random ?? NoRandom.Instance, precision,
            configuration.Selection ?? Selection.SelectionParameters.Default,
            configuration.Discipline ?? Discipline.DisciplineParameters.Default,
            configuration.DriftFrequency, configuration.DisciplineEnabled, configuration.Keys);
    }

    /// <summary>Remote servers and peers: polling, filter, selection, discipline.</summary>
    public SourceManager Sources { get; }

    public SystemVariables System { get; }

    public ServerResponder Server { get; }

    public IReadOnlyList<LocalClockSource> LocalClocks => _localClocks;

    /// <summary>Answers mode 6 control queries (ntpq) from this engine's state.</summary>
    public ControlResponder Control { get; }

    /// <summary>The local clock the system is synchronized to, or null.</summary>
    public LocalClockSource? SystemPeer => _systemPeer;

    public void Start(LoopTime now, EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        Control.MarkStarted(now);
        foreach (string association in _configuration.UnsupportedAssociations)
        {
            actions.Notice(NoticeKind.NotImplemented, $"{association}: remote time sources are not implemented yet; association not mobilized");
        }

        foreach (LocalClockSource clock in _localClocks)
        {
            clock.Start(now);
        }

        Sources.Start(now);
        if (_configuration.DisciplineEnabled && _configuration.DriftFrequency is not null)
        {
            // The drift file's frequency goes to the clock at once, as ntpd does, not at the first update.
            actions.Clock(new ClockAction(ClockActionKind.SetFrequency, Sources.Discipline.Frequency));
        }

        actions.NextDeadline = _orphan is null ? NextDeadline() : Math.Min(NextDeadline(), now.Mono + LoopTime.NanosecondsPerSecond);
    }

    /// <summary>A datagram arrived on association <paramref name="associationId"/>'s socket.</summary>
    public Associations.ReplyVerdict OnReply(int associationId, ReadOnlySpan<byte> data, Core.Time.NtpTimestamp receiveTime, LoopTime now, EngineActions actions, double pendingSlew,
        double pendingSlewUncertainty = 0)
    {
        Associations.ReplyVerdict verdict = Sources.OnReply(associationId, data, receiveTime, now, actions, pendingSlew, pendingSlewUncertainty);
        if (Sources.SystemPeer is not null)
        {
            // A remote source outranks the local clock fallback.
            _systemPeer = null;
        }

        return verdict;
    }

    /// <summary>One poll of a reference clock association, from its driver (SourceManager.OnRefclockPoll).</summary>
    public Associations.ReplyVerdict OnRefclockPoll(int associationId, double? offset, double jitter, LeapIndicator leap, sbyte precision, LoopTime now, EngineActions actions, double pendingSlew,
        double pendingSlewUncertainty = 0)
    {
        Associations.ReplyVerdict verdict = Sources.OnRefclockPoll(associationId, offset, jitter, leap, precision, now, actions, pendingSlew, pendingSlewUncertainty);
        if (Sources.SystemPeer is not null)
        {
            // A selected source outranks the local clock fallback.
            _systemPeer = null;
        }

        return verdict;
    }

    /// <summary>Records T1 of a request the host is about to send.</summary>
    public void MarkSent(int associationId, Core.Time.NtpTimestamp transmitTime) => Sources.MarkSent(associationId, transmitTime);

    public void OnTimer(LoopTime now, EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        bool sampled = false;
        foreach (LocalClockSource clock in _localClocks)
        {
            sampled |= clock.Poll(now);
        }

        Sources.OnTimer(now, actions);
        if (sampled && Sources.SystemPeer is null)
        {
            SelectSystemPeer(now, actions);
        }

        if (_orphan is not null && _orphan.Update(Sources.SystemPeer is not null || _systemPeer is not null, now, System))
        {
            actions.Notice(NoticeKind.Synchronized, $"orphan mode: no source reachable for {_configuration.Orphan!.WaitSeconds:0} s; serving stratum {_orphan.Stratum}");
        }

        actions.NextDeadline = NextDeadline();
        if (_orphan is not null)
        {
            // Orphan mode is judged once a second.
            actions.NextDeadline = Math.Min(actions.NextDeadline, now.Mono + LoopTime.NanosecondsPerSecond);
        }
    }

    /// <summary>Restrict list, MRU list and rate limits; "restrict source" covers the configured association addresses.</summary>
    private static Access.AccessControl CreateAccessControl(EngineConfiguration configuration, IRandomSource? random)
    {
        var sources = new List<Access.ClientAddress>();
        foreach (RemoteAssociationSettings remote in configuration.RemoteAssociations ?? [])
        {
            sources.Add(Access.ClientAddress.From(remote.Address.Address));
        }

        // The seed keys the MRU hash against chosen collisions. It is drawn only when access settings
        // are given (ntpd, with its CSPRNG), so seeded tests without them keep their random sequence.
        ulong seed = configuration.Access is not null && random is not null ? random.NextUInt64() : 0x6A09E667F3BCC908UL;
        return new Access.AccessControl(configuration.Access ?? Access.AccessSettings.Default, seed, sources);
    }

    private long NextDeadline()
    {
        long deadline = long.MaxValue;
        foreach (LocalClockSource clock in _localClocks)
        {
            deadline = Math.Min(deadline, clock.NextPollMono);
        }

        return Math.Min(deadline, Sources.NextDeadline());
    }

    /// <summary>Among local clocks with a sample: prefer a `prefer` one, then the lowest stratum.</summary>
    private void SelectSystemPeer(LoopTime now, EngineActions actions)
    {
        LocalClockSource? best = null;
        foreach (LocalClockSource clock in _localClocks)
        {
            if (!clock.HasSample)
            {
                continue;
            }

            if (best is null
                || (clock.Settings.Prefer && !best.Settings.Prefer)
                || (clock.Settings.Prefer == best.Settings.Prefer && clock.Settings.Stratum < best.Settings.Stratum))
            {
                best = clock;
            }
        }

        if (best is null)
        {
            return;
        }

        byte stratum = (byte)Math.Min(best.Settings.Stratum + 1, SystemVariables.UnsynchronizedStratum);
        System.Update(LeapIndicator.NoWarning, stratum, best.ReferenceId, 0, best.LastDispersion, now, best.Settings.DisplayName);
        if (!ReferenceEquals(best, _systemPeer))
        {
            _systemPeer = best;
            actions.Notice(NoticeKind.Synchronized, NoticeText.Synchronized(best.Settings.DisplayName, best.Settings.Stratum));
        }
    }
}

/// <summary>Stands in when there are no remote associations (nothing asks for randomness).</summary>
internal sealed class NoRandom : IRandomSource
{
    public static NoRandom Instance { get; } = new();

    public ulong NextUInt64() => throw new InvalidOperationException("no random source configured");
}
