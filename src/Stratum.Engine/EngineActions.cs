// EngineActions: the caller-owned buffer the Engine writes its decisions into (ARCHITECTURE.md §3).
// For the first suite it carries log notices and the next timer deadline; clock actions (step,
// slew, frequency, status) join it with the sync engine. Notices are rare events, so their small
// allocations stay off the packet path.
namespace Stratum.Engine;

/// <summary>Actions produced by one Engine call, carried out by the event loop afterwards.</summary>
public sealed class EngineActions
{
    private readonly List<EngineNotice> _notices = [];

    public IReadOnlyList<EngineNotice> Notices => _notices;

    /// <summary>Monotonic deadline (ns) of the next OnTimer call; long.MaxValue when none.</summary>
    public long NextDeadline { get; set; } = long.MaxValue;

    public void Notice(NoticeKind kind, string text) => _notices.Add(new EngineNotice(kind, text));

    public void Clear()
    {
        _notices.Clear();
        NextDeadline = long.MaxValue;
    }
}

/// <summary>Kinds of events the daemon logs; Platform words them as ntpd does.</summary>
public enum NoticeKind
{
    /// <summary>"synchronized to X, stratum N".</summary>
    Synchronized = 1,
    /// <summary>A source became unusable or the daemon lost synchronization.</summary>
    SyncLost = 2,
    /// <summary>Something configured that this version does not do yet.</summary>
    NotImplemented = 3,
    /// <summary>Informational, e.g. "local clock driver started".</summary>
    Info = 4,
}

/// <summary>One log-worthy event from the Engine.</summary>
public readonly record struct EngineNotice(NoticeKind Kind, string Text);
