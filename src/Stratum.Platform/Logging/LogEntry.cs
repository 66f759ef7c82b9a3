// LogEntry: one formatted log line waiting for the writer thread, stamped by the event loop's own
// clock reading (ARCHITECTURE.md §4: other threads never read clocks).
using Microsoft.Extensions.Logging;

namespace Stratum.Platform.Logging;

/// <summary>A log message with the loop's Unix-ns stamp.</summary>
public readonly record struct LogEntry(long UnixNanoseconds, LogLevel Level, string Message);
