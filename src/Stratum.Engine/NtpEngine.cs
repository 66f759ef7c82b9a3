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

    public NtpEngine(EngineConfiguration configuration, sbyte precision)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _configuration = configuration;
        System = new SystemVariables(precision);
        Server = new ServerResponder(System);
        Control = new ControlResponder(this);
        foreach (LocalClockSettings settings in configuration.LocalClocks)
        {
            _localClocks.Add(new LocalClockSource(settings, precision));
        }
    }

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
        foreach (string association in _configuration.UnsupportedAssociations)
        {
            actions.Notice(NoticeKind.NotImplemented, $"{association}: remote time sources are not implemented yet; association not mobilized");
        }

        foreach (LocalClockSource clock in _localClocks)
        {
            clock.Start(now);
        }

        actions.NextDeadline = NextDeadline();
    }

    public void OnTimer(LoopTime now, EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        bool sampled = false;
        foreach (LocalClockSource clock in _localClocks)
        {
            sampled |= clock.Poll(now);
        }

        if (sampled)
        {
            SelectSystemPeer(now, actions);
        }

        actions.NextDeadline = NextDeadline();
    }

    private long NextDeadline()
    {
        long deadline = long.MaxValue;
        foreach (LocalClockSource clock in _localClocks)
        {
            deadline = Math.Min(deadline, clock.NextPollMono);
        }

        return deadline;
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
            actions.Notice(NoticeKind.Synchronized, $"synchronized to {best.Settings.DisplayName}, stratum {best.Settings.Stratum}");
        }
    }
}
