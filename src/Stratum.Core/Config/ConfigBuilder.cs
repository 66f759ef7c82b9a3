// ConfigBuilder: the mutable state of one parse, filled line by line by the directive parsers
// and frozen into an NtpConfig at the end. Checks that need the whole file run in Build: fudge
// lines without their clock, and ntpd's tos consistency rules (miscopt.html; ntp_config.c
// config_tos: "Must have tos minsane < minclock <= maxclock", "floor <= ceiling").
using System.Collections.ObjectModel;

namespace Stratum.Core.Config;

/// <summary>Accumulates a configuration while it is parsed.</summary>
internal sealed class ConfigBuilder
{
    private readonly Dictionary<string, SourcePosition> _singletons = new(StringComparer.Ordinal);
    private readonly List<(RefClockConfig Clock, SourcePosition Position)> _refClocks = [];
    private readonly List<RefClockFudge> _fudges = [];
    private readonly List<StatisticsKind> _statistics = [];
    private readonly List<FilegenConfig> _filegens = [];
    private readonly bool[] _isTrustedKey = new bool[KeyIdLimits.Max + 1];

    public List<AssociationConfig> Associations { get; } = [];

    public List<RestrictRule> Restrictions { get; } = [];

    public List<InterfaceRule> InterfaceRules { get; } = [];

    public List<string> LogConfig { get; } = [];

    public SystemOptions System { get; set; } = SystemOptions.Default;

    public TosOptions Tos { get; set; } = TosOptions.Default;

    public TinkerOptions Tinker { get; set; } = TinkerOptions.Default;

    public DiscardOptions Discard { get; set; } = DiscardOptions.Default;

    public MruOptions Mru { get; set; } = MruOptions.Default;

    public string? DriftFile { get; set; }

    public string? LogFile { get; set; }

    public string? PidFile { get; set; }

    public string? LeapFile { get; set; }

    public bool LeapFileCheckHash { get; set; } = true;

    public string? StatsDirectory { get; set; }

    public string? KeysFile { get; set; }

    public uint? ControlKey { get; set; }

    public int? LeapSmearInterval { get; set; }

    public uint? RequestKey { get; set; }

    public List<System.Net.IPAddress> MulticastClientGroups { get; } = [];

    public List<System.Net.IPAddress> ManycastServerGroups { get; } = [];

    public double? BroadcastDelay { get; set; }

    public NtsOptions Nts { get; set; } = NtsOptions.Default;

    /// <summary>The last tos word that set minsane, minclock or maxclock.</summary>
    public SourcePosition? TosClockCountPosition { get; set; }

    /// <summary>The last tos word that set floor or ceiling.</summary>
    public SourcePosition? TosStratumPosition { get; set; }

    /// <summary>Warns when a directive that may appear once (driftfile, keys, ...) appears again.</summary>
    public void NoteSingleton(DirectiveLine line)
    {
        if (_singletons.TryGetValue(line.Name, out SourcePosition previous))
        {
            line.Warning(
                line.Directive,
                $"duplicate {DiagnosticText.Quote(line.Name)} (previous at {previous}); the last one wins");
        }

        _singletons[line.Name] = line.PositionOf(line.Directive);
    }

    /// <summary>Adds a reference clock unless 127.127.T.U is already configured (then warns).</summary>
    public void AddRefClock(RefClockConfig clock, DirectiveLine line, ConfigToken addressToken)
    {
        foreach ((RefClockConfig existing, SourcePosition position) in _refClocks)
        {
            if (existing.DriverType == clock.DriverType && existing.Unit == clock.Unit)
            {
                line.Warning(
                    addressToken,
                    $"reference clock {clock.Address} is already configured at {position}; this line is ignored");
                return;
            }
        }

        _refClocks.Add((clock, line.PositionOf(addressToken)));
    }

    /// <summary>The fudge values of 127.127.T.U, created at the first fudge line for it.</summary>
    public RefClockFudge FudgeFor(byte driverType, byte unit, SourcePosition position)
    {
        if (FindFudge(driverType, unit) is RefClockFudge existing)
        {
            return existing;
        }

        var created = new RefClockFudge(driverType, unit, position);
        _fudges.Add(created);
        return created;
    }

    public void AddStatistics(StatisticsKind kind)
    {
        if (!_statistics.Contains(kind))
        {
            _statistics.Add(kind);
        }
    }

    /// <summary>Merges one filegen line into the entry for its set; null means "not named on this line".</summary>
    public void MergeFilegen(
        StatisticsKind kind,
        string? fileName,
        FilegenType? type,
        bool? link,
        bool enabled,
        int line)
    {
        for (int i = 0; i < _filegens.Count; i++)
        {
            FilegenConfig existing = _filegens[i];
            if (existing.Kind == kind)
            {
                _filegens[i] = existing with
                {
                    FileName = fileName ?? existing.FileName,
                    Type = type ?? existing.Type,
                    Link = link ?? existing.Link,
                    Enabled = enabled,
                    Line = line,
                };
                return;
            }
        }

        _filegens.Add(new FilegenConfig(
            kind,
            fileName ?? StatisticsNames.NameOf(kind),
            type ?? FilegenType.Day,
            link ?? true,
            enabled,
            line));
    }

    public void AddTrustedKey(uint keyId) => _isTrustedKey[keyId] = true;

    /// <summary>Runs the whole-file checks and freezes the model.</summary>
    public NtpConfig Build(DiagnosticBag diagnostics)
    {
        var refClocks = new List<RefClockConfig>(_refClocks.Count);
        foreach ((RefClockConfig clock, _) in _refClocks)
        {
            RefClockFudge? fudge = FindFudge(clock.DriverType, clock.Unit);
            refClocks.Add(fudge is null ? clock : fudge.ApplyTo(clock));
        }

        ReportFudgesWithoutClock(diagnostics);
        CheckTosConsistency(diagnostics);

        return new NtpConfig
        {
            Associations = Associations.AsReadOnly(),
            RefClocks = refClocks.AsReadOnly(),
            Restrictions = Restrictions.AsReadOnly(),
            InterfaceRules = new InterfaceRules(InterfaceRules),
            Discard = Discard,
            Mru = Mru,
            System = System,
            Tos = Tos,
            Tinker = Tinker,
            DriftFile = DriftFile,
            LogFile = LogFile,
            LogConfig = LogConfig.AsReadOnly(),
            PidFile = PidFile,
            LeapFile = LeapFile,
            LeapFileCheckHash = LeapFileCheckHash,
            StatsDirectory = StatsDirectory,
            Statistics = _statistics.AsReadOnly(),
            Filegens = _filegens.AsReadOnly(),
            KeysFile = KeysFile,
            TrustedKeys = TrustedKeyList(),
            ControlKey = ControlKey,
            RequestKey = RequestKey,
            LeapSmearInterval = LeapSmearInterval,
            MulticastClientGroups = MulticastClientGroups.AsReadOnly(),
            ManycastServerGroups = ManycastServerGroups.AsReadOnly(),
            BroadcastDelay = BroadcastDelay,
            Nts = Nts,
        };
    }

    /// <summary>Trusted key ids ascending; a flag table keeps huge "(1 ... 65535)" ranges cheap.</summary>
    private ReadOnlyCollection<uint> TrustedKeyList()
    {
        var keys = new List<uint>();
        for (uint keyId = KeyIdLimits.Min; keyId <= KeyIdLimits.Max; keyId++)
        {
            if (_isTrustedKey[keyId])
            {
                keys.Add(keyId);
            }
        }

        return keys.AsReadOnly();
    }

    private RefClockFudge? FindFudge(byte driverType, byte unit)
    {
        foreach (RefClockFudge fudge in _fudges)
        {
            if (fudge.DriverType == driverType && fudge.Unit == unit)
            {
                return fudge;
            }
        }

        return null;
    }

    private void ReportFudgesWithoutClock(DiagnosticBag diagnostics)
    {
        foreach (RefClockFudge fudge in _fudges)
        {
            bool declared = false;
            foreach ((RefClockConfig clock, _) in _refClocks)
            {
                declared |= clock.DriverType == fudge.DriverType && clock.Unit == fudge.Unit;
            }

            if (!declared)
            {
                string address = FormattableString.Invariant($"127.127.{fudge.DriverType}.{fudge.Unit}");
                diagnostics.Warning(
                    fudge.FirstPosition,
                    $"fudge for {address} has no 'server {address}' line and is ignored");
            }
        }
    }

    private void CheckTosConsistency(DiagnosticBag diagnostics)
    {
        int minSane = Tos.MinSane ?? TosOptions.DefaultMinSane;
        int minClock = Tos.MinClock ?? TosOptions.DefaultMinClock;
        int maxClock = Tos.MaxClock ?? TosOptions.DefaultMaxClock;
        if (TosClockCountPosition is SourcePosition countPosition && !(minSane < minClock && minClock <= maxClock))
        {
            diagnostics.Error(
                countPosition,
                $"tos needs minsane ({minSane}) < minclock ({minClock}) <= maxclock ({maxClock})");
        }

        int floor = Tos.Floor ?? TosOptions.DefaultFloor;
        int ceiling = Tos.Ceiling ?? TosOptions.DefaultCeiling;
        if (TosStratumPosition is SourcePosition stratumPosition && floor > ceiling)
        {
            diagnostics.Error(stratumPosition, $"tos needs floor ({floor}) <= ceiling ({ceiling})");
        }
    }
}
