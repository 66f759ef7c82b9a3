// DaemonLoggerProvider: Microsoft.Extensions.Logging provider that stamps each message with the
// event loop's latest clock reading and hands it to the LogWriter. Debug levels are enabled by -d.
using Microsoft.Extensions.Logging;

namespace Stratum.Platform.Logging;

/// <summary>Creates loggers that feed the daemon's LogWriter.</summary>
public sealed class DaemonLoggerProvider : ILoggerProvider
{
    private readonly LogWriter _writer;
    private readonly Func<long> _stamp;
    private readonly LogLevel _minimum;

    /// <param name="writer">The queue to the writer thread.</param>
    /// <param name="stamp">The loop's last Unix-ns reading (no clock read here).</param>
    /// <param name="minimum">Lowest level written.</param>
    public DaemonLoggerProvider(LogWriter writer, Func<long> stamp, LogLevel minimum)
    {
        _writer = writer;
        _stamp = stamp;
        _minimum = minimum;
    }

    public ILogger CreateLogger(string categoryName) => new DaemonLogger(this);

    public void Dispose()
    {
    }

    private sealed class DaemonLogger(DaemonLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string message = formatter(state, exception);
            if (exception is not null)
            {
                message = $"{message}: {exception}";
            }

            // Before the loop's first reading (start-up lines), read the clock here: still the loop thread.
            long stamp = provider._stamp();
            provider._writer.Enqueue(new LogEntry(stamp != 0 ? stamp : Interop.ClockGetTime.Realtime(), logLevel, message));
        }
    }
}
