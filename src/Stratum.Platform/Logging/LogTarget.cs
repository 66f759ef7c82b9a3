// LogTarget: where ntpd's log lines go. Like ntpd: `logfile`/-l names a file; in the foreground
// (-n) without one, stderr — in systemd's journal format when stderr is the journal's stream
// ($JOURNAL_STREAM), without a time stamp of ours; otherwise syslog (the /dev/log socket). The log file is opened for append
// without following a symbolic link (NoFollowFile): a link there is refused. Lines read as ntpd writes them:
// "23 Nov 10:40:00 ntpd[4242]: synchronized to LOCAL(0), stratum 10". Targets run on the writer thread.
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Stratum.Platform.Files;

namespace Stratum.Platform.Logging;

/// <summary>A destination for formatted log lines.</summary>
public abstract class LogTarget : IDisposable
{
    public abstract void Write(in LogEntry entry, string program, int processId);

    public virtual void Flush()
    {
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>"23 Nov 10:40:00" in local time, as ntpd's logfile writes it.</summary>
    public static string FormatStamp(long unixNanoseconds)
    {
        DateTime local = DateTime.UnixEpoch.AddTicks(unixNanoseconds / 100).ToLocalTime();
        return local.ToString("d MMM HH:mm:ss", CultureInfo.InvariantCulture).PadLeft(15);
    }

    public static string FormatLine(in LogEntry entry, string program, int processId) =>
        $"{FormatStamp(entry.UnixNanoseconds)} {program}[{processId}]: {entry.Message}";
}

/// <summary>Writes lines to a text stream (stderr, or a logfile opened for append).</summary>
public sealed class StreamLogTarget : LogTarget
{
    private readonly TextWriter _writer;
    private readonly bool _owns;

    public StreamLogTarget(TextWriter writer, bool ownsWriter)
    {
        _writer = writer;
        _owns = ownsWriter;
    }

    /// <summary>Opens <paramref name="path"/> for append; returns null and an error on failure.</summary>
    public static StreamLogTarget? OpenFile(string path, out string? error) => OpenFile(path, out _, out error);

    /// <summary>
    /// Opens <paramref name="path"/> for append, never through a symbolic link (the daemon runs as
    /// root): null on failure, with <paramref name="reason"/> and the text to report, "log file PATH is
    /// a symbolic link; not written" or "cannot open log file PATH: REASON".
    /// </summary>
    public static StreamLogTarget? OpenFile(string path, out FileOpenError reason, out string? error)
    {
        FileStream? stream = NoFollowFile.OpenAppend(path, out reason, out string? message);
        if (stream is null)
        {
            error = reason == FileOpenError.SymbolicLink ? "log file " + message : $"cannot open log file {path}: {message}";
            return null;
        }

        error = null;
        return new StreamLogTarget(new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = false }, true);
    }

    public override void Write(in LogEntry entry, string program, int processId) =>
        _writer.WriteLine(FormatLine(entry, program, processId));

    public override void Flush() => _writer.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _writer.Flush();
            if (_owns)
            {
                _writer.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}

/// <summary>Sends lines to the local syslog daemon over /dev/log (facility daemon).</summary>
public sealed class SyslogTarget : LogTarget
{
    /// <summary>The local syslog socket.</summary>
    public const string DefaultSocketPath = "/dev/log";

    private const int FacilityDaemon = 3 << 3;
    private readonly string _socketPath;
    private Socket? _socket;

    /// <param name="socketPath">The syslog datagram socket (tests use their own).</param>
    public SyslogTarget(string socketPath = DefaultSocketPath)
    {
        _socketPath = socketPath;
    }

    /// <summary>
    /// One RFC 3164 message: "&lt;PRI&gt;Mmm dd hh:mm:ss ntpd[pid]: text" with PRI = facility daemon +
    /// severity (crit, err, warning, notice, debug) and the day of month padded with a space ("Nov  3").
    /// </summary>
    public static string FormatMessage(DateTime localTime, LogLevel level, string program, int processId, string message)
    {
        int severity = Severity(level);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"<{FacilityDaemon | severity}>{localTime:MMM} {localTime.Day,2} {localTime:HH:mm:ss} {program}[{processId}]: {message}");
    }

    /// <summary>The syslog severity of a log level: crit, err, warning, notice, debug.</summary>
    public static int Severity(LogLevel level) => level switch
    {
        LogLevel.Critical => 2,
        LogLevel.Error => 3,
        LogLevel.Warning => 4,
        LogLevel.Information => 5,
        _ => 7,
    };

    public override void Write(in LogEntry entry, string program, int processId)
    {
        try
        {
            if (_socket is null)
            {
                _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                _socket.Connect(new UnixDomainSocketEndPoint(_socketPath));
            }

            DateTime local = DateTime.UnixEpoch.AddTicks(entry.UnixNanoseconds / 100).ToLocalTime();
            _socket.Send(Encoding.UTF8.GetBytes(FormatMessage(local, entry.Level, program, processId, entry.Message)));
        }
        catch (SocketException)
        {
            // No syslog daemon: nothing sensible to do from the log writer itself.
            _socket?.Dispose();
            _socket = null;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _socket?.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>Writes lines to stderr when it is systemd's journal stream: the severity as a "&lt;N&gt;" prefix,
/// no time stamp and no "ntpd[pid]:" (the journal records both itself).</summary>
public sealed class JournalStreamLogTarget : LogTarget
{
    private readonly TextWriter _writer;

    public JournalStreamLogTarget(TextWriter writer)
    {
        _writer = writer;
    }

    /// <summary>True when $JOURNAL_STREAM ("DEVICE:INODE", set by systemd for a service whose output goes to
    /// the journal) names the file behind this process's stderr.</summary>
    public static bool IsStandardErrorTheJournal(string? journalStream)
    {
        if (string.IsNullOrEmpty(journalStream) || journalStream.Split(':') is not [string device, string inode]
            || !ulong.TryParse(device, NumberStyles.None, CultureInfo.InvariantCulture, out ulong expectedDevice)
            || !ulong.TryParse(inode, NumberStyles.None, CultureInfo.InvariantCulture, out ulong expectedInode))
        {
            return false;
        }

        return Interop.FileStatusCall.TryGet(2, out Interop.FileStatus status) && status.Device == expectedDevice && status.Inode == expectedInode;
    }

    /// <summary>"&lt;5&gt;synchronized to …": sd-daemon(3)'s priority prefix (notice, as ntpd's syslog lines) and the message.</summary>
    public static string FormatJournalLine(in LogEntry entry) =>
        string.Create(CultureInfo.InvariantCulture, $"<{SyslogTarget.Severity(entry.Level)}>{entry.Message}");

    public override void Write(in LogEntry entry, string program, int processId) => _writer.WriteLine(FormatJournalLine(entry));

    public override void Flush() => _writer.Flush();
}
