// DriftFileKeeper: when the daemon writes the frequency to its drift file (ntpd's driftfile): once an
// hour while the discipline knows the frequency (state SYNC), and once more at exit, each time
// atomically through DriftFile.Write (temporary file + rename). A write error is reported once per
// distinct message, never fatal: the daemon keeps time without the file, as ntpd does. Under `disable ntp`
// there is no keeper at all: the daemon does not discipline the clock, so it has no frequency to keep.
// Time is injected (the loop's monotonic seconds), so tests drive the hourly schedule by hand.
using Stratum.Core.Config;
using Stratum.Engine.Discipline;

namespace Stratum.Platform.Files;

/// <summary>Hourly and at-exit writes of the drift file.</summary>
public sealed class DriftFileKeeper
{
    /// <summary>ntpd writes the drift file once an hour.</summary>
    public const double WriteIntervalSeconds = 3600;

    private readonly string _path;
    private double _nextWrite = double.NaN;
    private string? _lastError;

    public DriftFileKeeper(string path)
    {
        _path = path;
    }

    /// <summary>The keeper for the config's `driftfile`, or null without one or under `disable ntp`.</summary>
    public static DriftFileKeeper? For(NtpConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.DriftFile is { } path && config.System.ClockDiscipline ? new DriftFileKeeper(path) : null;
    }

    /// <summary>Monotonic seconds of the next hourly write, for the loop's deadline.</summary>
    public double NextWriteSeconds => _nextWrite;

    /// <summary>Number of successful writes.</summary>
    public int Writes { get; private set; }

    /// <summary>Call from the loop: writes when the hour is up and the frequency is known. Returns an error
    /// text the first time a given error happens, else null.</summary>
    public string? OnTimer(double monoSeconds, DisciplineStatus status)
    {
        if (double.IsNaN(_nextWrite))
        {
            _nextWrite = monoSeconds + WriteIntervalSeconds;
            return null;
        }

        if (monoSeconds < _nextWrite)
        {
            return null;
        }

        _nextWrite = monoSeconds + WriteIntervalSeconds;
        return Save(status);
    }

    /// <summary>Writes now if the frequency is known (at exit). Returns an error text or null.</summary>
    public string? Save(DisciplineStatus status)
    {
        if (status.State != DisciplineState.Synchronized)
        {
            return null;
        }

        string? error = DriftFile.Write(_path, status.Frequency * 1e6);
        if (error is null)
        {
            Writes++;
            _lastError = null;
            return null;
        }

        if (error == _lastError)
        {
            return null;
        }

        _lastError = error;
        return error;
    }
}
