// LogWriter: the bounded queue and writer thread behind ntpd's logger, so the event loop never
// blocks on a slow disk or syslog (ARCHITECTURE.md §8). When the queue is full, entries are dropped
// and counted, and the count is reported once the queue drains.
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Stratum.Platform.Logging;

/// <summary>Owns the log targets and the thread that writes to them.</summary>
public sealed class LogWriter : IDisposable
{
    private const int Capacity = 4096;

    private readonly BlockingCollection<LogEntry> _queue = new(Capacity);
    private readonly List<LogTarget> _targets;
    private readonly Thread _thread;
    private readonly string _program;
    private readonly int _processId;
    private long _dropped;

    public LogWriter(IEnumerable<LogTarget> targets, string program, int processId)
    {
        _targets = [.. targets];
        _program = program;
        _processId = processId;
        _thread = new Thread(Run) { IsBackground = true, Name = "log writer" };
        _thread.Start();
    }

    public void Enqueue(in LogEntry entry)
    {
        if (!_queue.TryAdd(entry))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private void Run()
    {
        foreach (LogEntry entry in _queue.GetConsumingEnumerable())
        {
            long dropped = Interlocked.Exchange(ref _dropped, 0);
            foreach (LogTarget target in _targets)
            {
                if (dropped > 0)
                {
                    target.Write(new LogEntry(entry.UnixNanoseconds, LogLevel.Warning, $"log queue full: {dropped} messages dropped"), _program, _processId);
                }

                target.Write(entry, _program, _processId);
                if (_queue.Count == 0)
                {
                    target.Flush();
                }
            }
        }
    }

    /// <summary>Writes what is queued and stops the thread.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        if (!_thread.Join(TimeSpan.FromSeconds(5)))
        {
            // The writer is stuck (a full disk, a syslog socket that blocks): leave it its queue and targets
            // rather than pull them from under it; the process is exiting anyway.
            return;
        }

        foreach (LogTarget target in _targets)
        {
            target.Flush();
            target.Dispose();
        }

        _queue.Dispose();
    }
}
