// DriftFileKeeper: writes the frequency to the daemon's drift file (ntpd's driftfile) when the Engine
// asks (hourly while the discipline knows the frequency, and once more at exit: NtpEngine decides),
// each time atomically through DriftFile.Write (temporary file + rename, never through a symbolic
// link). A write error, or a temporary name found taken by a link or another user's file, is reported
// once per distinct message, never fatal: the daemon keeps time without the file, as ntpd does. Under
// `disable ntp` there is no keeper at all: the daemon does not discipline the clock, so it has no
// frequency to keep. It is the action executor's drift file sink (IDriftFileSink).
using Stratum.Core.Config;
using Stratum.Platform.Hosting;

namespace Stratum.Platform.Files;

/// <summary>Atomic writes of the drift file, errors reported once.</summary>
public sealed class DriftFileKeeper : IDriftFileSink
{
    private readonly string _path;
    private string? _lastError;
    private string? _lastNotice;

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

    /// <summary>Number of successful writes.</summary>
    public int Writes { get; private set; }

    /// <summary>Writes <paramref name="frequency"/> (s/s) as ntpd's "%.3f" PPM. Returns an error text the
    /// first time a given error happens (or a taken temporary name is first seen), else null.</summary>
    public string? Save(double frequency)
    {
        string? error = DriftFile.Write(_path, frequency * 1e6, out string? notice);
        if (error is null)
        {
            Writes++;
            _lastError = null;
            if (notice is not null && notice != _lastNotice)
            {
                _lastNotice = notice;
                return notice;
            }

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
