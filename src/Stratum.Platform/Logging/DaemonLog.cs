// DaemonLog: every message ntpd logs, with stable EventIds and ntpd's wording (users grep for
// "synchronized to", "Listen normally on", "ntpd exiting on signal"). One event per kind of message:
// a socket that cannot be bound (5) is not a pid file that cannot be written (32) nor a clock write
// the kernel refused (27), so a journal or a log pipeline can tell them apart by id.
using Microsoft.Extensions.Logging;

namespace Stratum.Platform.Logging;

public static partial class DaemonLog
{
    [LoggerMessage(1, LogLevel.Information, "{Version}: Starting")]
    public static partial void Starting(ILogger logger, string version);

    [LoggerMessage(2, LogLevel.Information, "Command line: {CommandLine}")]
    public static partial void CommandLine(ILogger logger, string commandLine);

    [LoggerMessage(3, LogLevel.Information, "proto: precision = {Microseconds} usec ({Exponent})")]
    public static partial void Precision(ILogger logger, string microseconds, int exponent);

    [LoggerMessage(4, LogLevel.Information, "Listen normally on {Index} {Interface} {Address}")]
    public static partial void Listening(ILogger logger, int index, string @interface, string address);

    [LoggerMessage(5, LogLevel.Error, "{Message}")]
    public static partial void BindFailed(ILogger logger, string message);

    [LoggerMessage(6, LogLevel.Information, "{Message}")]
    public static partial void Synchronized(ILogger logger, string message);

    [LoggerMessage(7, LogLevel.Warning, "{Message}")]
    public static partial void NotImplemented(ILogger logger, string message);

    [LoggerMessage(8, LogLevel.Information, "{Message}")]
    public static partial void EngineInfo(ILogger logger, string message);

    [LoggerMessage(9, LogLevel.Warning, "{Message}")]
    public static partial void SyncLost(ILogger logger, string message);

    [LoggerMessage(10, LogLevel.Warning, "{Diagnostic}")]
    public static partial void ConfigWarning(ILogger logger, string diagnostic);

    [LoggerMessage(11, LogLevel.Information, "clock control disabled (disable ntp): the system clock is observed and never adjusted")]
    public static partial void ObserveOnly(ILogger logger);

    [LoggerMessage(12, LogLevel.Information, "virtual clock: {Offset:+0.000000;-0.000000} s, {Ppm:+0.000;-0.000} PPM from the system clock; the system clock is never adjusted")]
    public static partial void VirtualClock(ILogger logger, double offset, double ppm);

    [LoggerMessage(13, LogLevel.Information, "ntpd exiting on signal {Signal} ({Name})")]
    public static partial void Exiting(ILogger logger, int signal, string name);

    [LoggerMessage(14, LogLevel.Critical, "unexpected error, exiting: {Event}")]
    public static partial void Fatal(ILogger logger, Exception exception, string @event);

    [LoggerMessage(15, LogLevel.Debug, "received {Length} bytes from {Source}: {Decision}")]
    public static partial void Packet(ILogger logger, int length, string source, string decision);

    [LoggerMessage(16, LogLevel.Warning, "receive on {Address} failed: {Error}")]
    public static partial void ReceiveFailed(ILogger logger, string address, string error);

    [LoggerMessage(17, LogLevel.Information, "{Message}")]
    public static partial void Info(ILogger logger, string message);

    [LoggerMessage(18, LogLevel.Information, "received signal {Signal}: reloading {Path}")]
    public static partial void Reloading(ILogger logger, string signal, string path);

    [LoggerMessage(19, LogLevel.Information, "chroot to {Directory}")]
    public static partial void Chrooted(ILogger logger, string directory);

    [LoggerMessage(20, LogLevel.Information, "running as {User} (uid {UserId}, gid {GroupId}); capabilities kept: {Capabilities}")]
    public static partial void PrivilegesDropped(ILogger logger, string user, uint userId, uint groupId, string capabilities);

    [LoggerMessage(21, LogLevel.Warning, "cannot keep {Capability}: the process did not hold it at start; {Consequence}")]
    public static partial void CapabilityMissing(ILogger logger, string capability, string consequence);

    [LoggerMessage(22, LogLevel.Warning, "{What} {Path} is not writable by {User}: {Consequence}")]
    public static partial void NotWritable(ILogger logger, string what, string path, string user, string consequence);

    [LoggerMessage(23, LogLevel.Critical, "cannot give up root: {Reason}; exiting")]
    public static partial void PrivilegeDropFailed(ILogger logger, string reason);

    [LoggerMessage(24, LogLevel.Information, "no restrict line: time is served to all, ntpq and ntpdc queries are answered from this host (loopback) only; a restrict line gives ntpd's rules")]
    public static partial void QueriesLoopbackOnly(ILogger logger);

    [LoggerMessage(25, LogLevel.Error, "--server-threads: {Error}; serving from the main loop only")]
    public static partial void ServerThreadsUnavailable(ILogger logger, string error);

    [LoggerMessage(26, LogLevel.Critical, "{Condition}")]
    public static partial void FatalCondition(ILogger logger, string condition);

    [LoggerMessage(27, LogLevel.Error, "{Report}")]
    public static partial void ClockWriteFailed(ILogger logger, string report);

    [LoggerMessage(28, LogLevel.Error, "{Error}")]
    public static partial void ActionFailed(ILogger logger, string error);

    [LoggerMessage(29, LogLevel.Error, "{Refusal}")]
    public static partial void LogFileRefused(ILogger logger, string refusal);

    [LoggerMessage(30, LogLevel.Error, "{Error}")]
    public static partial void StatisticsFileError(ILogger logger, string error);

    [LoggerMessage(31, LogLevel.Critical, "no address to listen on; exiting")]
    public static partial void NoListenAddress(ILogger logger);

    [LoggerMessage(32, LogLevel.Error, "{Error}")]
    public static partial void PidFileError(ILogger logger, string error);

    [LoggerMessage(33, LogLevel.Error, "{Error}")]
    public static partial void RefclockUnavailable(ILogger logger, string error);
}
