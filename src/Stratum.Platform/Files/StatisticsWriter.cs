// StatisticsWriter: appends ntpd's statistics lines (loopstats, peerstats, rawstats, sysstats, protostats; clockstats
// is accepted, but the local clock driver records no clock events, as in ntpd) to the files `statsdir`,
// `statistics` and `filegen` name, off the event loop: the loop formats a line and queues it; one
// writer thread appends it to the file of the current filegen period (loopstats.20261123 for `type
// day`), keeps ntpd's link (`loopstats` → the current file) when `link` is set, and reopens when the
// period rolls over. The daemon runs as root, so a file is never opened through a symbolic link: a link
// planted at a statistics file's name is refused ("PATH is a symbolic link; not written", reported
// once per file; its lines are dropped), and the `link` is replaced atomically (a new link renamed
// over it, never delete-then-create; a name there that is not a link is left alone) (NoFollowFile).
// The queue is bounded: when the disk is slow, lines are dropped and counted, never the loop blocked.
// A file that cannot be written is reported once (through the error callback) per distinct message.
// It is the action executor's statistics sink (IStatisticsSink).
using System.Collections.Concurrent;
using Stratum.Core.Config;
using Stratum.Engine;
using Stratum.Platform.Hosting;

namespace Stratum.Platform.Files;

/// <summary>Writes statistics lines on a background thread.</summary>
public sealed class StatisticsWriter : IStatisticsSink, IDisposable
{
    private const int Capacity = 1024;

    private readonly BlockingCollection<(StatisticsKind Kind, long Stamp, string Line)> _queue = new(Capacity);
    private readonly Dictionary<StatisticsKind, FilegenConfig> _files = [];
    private readonly Dictionary<StatisticsKind, (string Path, StreamWriter Writer)> _open = [];
    private readonly string _directory;
    private readonly int _processId;
    private readonly Action<string>? _onError;
    private readonly Thread _thread;
    private readonly HashSet<string> _refusalsReported = [];
    private string? _lastError;
    private long _dropped;

    /// <param name="directory">`statsdir` (ntpd's default is /var/NTP/ when none is given; callers pass one).</param>
    /// <param name="files">The enabled kinds and their filegen settings.</param>
    /// <param name="processId">For `type pid`.</param>
    /// <param name="onError">Reports a write failure (called on the writer thread).</param>
    public StatisticsWriter(string directory, IEnumerable<FilegenConfig> files, int processId, Action<string>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        _directory = directory;
        _processId = processId;
        _onError = onError;
        foreach (FilegenConfig file in files)
        {
            _files[file.Kind] = file;
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "statistics writer" };
        _thread.Start();
    }

    /// <summary>The statistics sets Stratum writes.</summary>
    public static readonly StatisticsKind[] WrittenKinds =
        [StatisticsKind.LoopStats, StatisticsKind.PeerStats, StatisticsKind.RawStats, StatisticsKind.SysStats, StatisticsKind.ProtoStats, StatisticsKind.ClockStats];

    /// <summary>Builds a writer for the config's enabled statistics, or null when none is enabled
    /// (or `disable stats`).</summary>
    public static StatisticsWriter? For(NtpConfig config, int processId, Action<string>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.System.Statistics)
        {
            return null;
        }

        var files = new List<FilegenConfig>();
        foreach (StatisticsKind kind in WrittenKinds)
        {
            if (!config.IsStatisticsEnabled(kind))
            {
                continue;
            }

            FilegenConfig? filegen = null;
            foreach (FilegenConfig candidate in config.Filegens)
            {
                if (candidate.Kind == kind)
                {
                    filegen = candidate;
                }
            }

            // ntpd's default: file named like the set, a new file each day, with the link.
            files.Add(filegen ?? new FilegenConfig(kind, kind.ToString().ToLowerInvariant(), FilegenType.Day, true, true, 0));
        }

        return files.Count == 0 ? null : new StatisticsWriter(config.StatsDirectory ?? "/var/NTP/", files, processId, onError);
    }

    /// <summary>Lines dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>True when <paramref name="kind"/> is written.</summary>
    public bool Writes(StatisticsKind kind) => _files.ContainsKey(kind);

    /// <summary>Queues the records of one Engine call, stamped <paramref name="unixNanoseconds"/>.</summary>
    public void Record(EngineActions actions, long unixNanoseconds)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (Writes(StatisticsKind.LoopStats))
        {
            foreach (LoopStatsRecord loop in actions.LoopStats)
            {
                Enqueue(StatisticsKind.LoopStats, unixNanoseconds,
                    StatisticsFiles.LoopStatsLine(unixNanoseconds, loop.Offset, loop.FrequencyPpm, loop.Jitter, loop.WanderPpm, loop.TimeConstant));
            }
        }

        if (Writes(StatisticsKind.PeerStats))
        {
            foreach (PeerStatsRecord peer in actions.PeerStats)
            {
                Enqueue(StatisticsKind.PeerStats, unixNanoseconds,
                    StatisticsFiles.PeerStatsLine(unixNanoseconds, peer.Address, peer.Status, peer.Offset, peer.Delay, peer.Dispersion, peer.Jitter));
            }
        }

        if (Writes(StatisticsKind.ProtoStats))
        {
            foreach (ProtoStatsRecord proto in actions.ProtoStats)
            {
                Enqueue(StatisticsKind.ProtoStats, unixNanoseconds, StatisticsFiles.ProtoStatsLine(unixNanoseconds, proto));
            }
        }
    }

    /// <summary>Queues the rawstats lines of one Engine call; <paramref name="localAddressOf"/> names the
    /// local end of an association's socket, when known.</summary>
    public void RecordRaw(EngineActions actions, long unixNanoseconds, Func<int, string?> localAddressOf)
    {
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(localAddressOf);
        if (Writes(StatisticsKind.RawStats))
        {
            foreach (RawStatsRecord raw in actions.RawStats)
            {
                Enqueue(StatisticsKind.RawStats, unixNanoseconds,
                    StatisticsFiles.RawStatsLine(unixNanoseconds, raw.Address, localAddressOf(raw.AssociationId), raw.Exchange));
            }
        }
    }

    /// <summary>Queues one sysstats line from the server's counters now.</summary>
    public void RecordSystem(long unixNanoseconds, long sinceReset, Stratum.Engine.Server.ServerCounters counters) =>
        RecordSystem(unixNanoseconds, SysStatsRecord.From(sinceReset, counters));

    /// <summary>Queues one sysstats line (the Engine asks for one an hour).</summary>
    public void RecordSystem(long unixNanoseconds, in SysStatsRecord record)
    {
        if (Writes(StatisticsKind.SysStats))
        {
            Enqueue(StatisticsKind.SysStats, unixNanoseconds, StatisticsFiles.SysStatsLine(unixNanoseconds, record));
        }
    }

    /// <summary>Every statistics record of one Engine call (the executor's sink).</summary>
    void IStatisticsSink.Record(EngineActions actions, long unixNanoseconds, Func<int, string?> localAddressOf)
    {
        ArgumentNullException.ThrowIfNull(actions);
        Record(actions, unixNanoseconds);
        RecordRaw(actions, unixNanoseconds, localAddressOf);
        if (actions.SysStats is { } system)
        {
            RecordSystem(unixNanoseconds, system);
        }
    }

    private void Enqueue(StatisticsKind kind, long stamp, string line)
    {
        if (!_queue.TryAdd((kind, stamp, line)))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private void Run()
    {
        foreach ((StatisticsKind kind, long stamp, string line) in _queue.GetConsumingEnumerable())
        {
            try
            {
                if (WriterFor(kind, stamp) is not { } writer)
                {
                    continue;
                }

                writer.Write(line);
                writer.Write('\n');
                if (_queue.Count == 0)
                {
                    FlushAll();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                ReportError(kind, e.Message);
            }
        }

        foreach ((_, StreamWriter writer) in _open.Values)
        {
            writer.Dispose();
        }
    }

    /// <summary>The open file for <paramref name="kind"/>'s current period, or null (reported) when it
    /// cannot be opened.</summary>
    private StreamWriter? WriterFor(StatisticsKind kind, long stamp)
    {
        FilegenConfig file = _files[kind];
        string path = StatisticsFiles.FilePath(_directory, file, stamp, _processId);
        if (_open.TryGetValue(kind, out (string Path, StreamWriter Writer) current))
        {
            if (current.Path == path)
            {
                return current.Writer;
            }

            _open.Remove(kind);
            current.Writer.Dispose();
        }

        FileStream? stream = NoFollowFile.OpenAppend(path, out FileOpenError error, out string? message);
        if (stream is null)
        {
            if (error == FileOpenError.SymbolicLink)
            {
                ReportOnce("statistics file " + message);
            }
            else
            {
                ReportError(kind, message ?? path);
            }

            return null;
        }

        var writer = new StreamWriter(stream);
        _open[kind] = (path, writer);
        string link = Path.Combine(_directory, file.FileName);
        if (file.Link && link != path && NoFollowFile.ReplaceSymbolicLink(link, Path.GetFileName(path)) is string linkError)
        {
            ReportOnce("statistics link " + linkError);
        }

        return writer;
    }

    private void ReportError(StatisticsKind kind, string problem)
    {
        string error = $"statistics file for {kind.ToString().ToLowerInvariant()} in {_directory}: {problem}";
        if (error != _lastError)
        {
            _lastError = error;
            _onError?.Invoke(error);
        }
    }

    /// <summary>Reports a refusal the first time it happens (the set is bounded: a file name per
    /// period and kind).</summary>
    private void ReportOnce(string message)
    {
        if (_refusalsReported.Count < 1024 && _refusalsReported.Add(message))
        {
            _onError?.Invoke(message);
        }
    }

    private void FlushAll()
    {
        foreach ((_, StreamWriter writer) in _open.Values)
        {
            writer.Flush();
        }
    }

    /// <summary>Writes what is queued and stops the thread.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
        _queue.Dispose();
    }
}
