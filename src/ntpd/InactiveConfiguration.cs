// InactiveConfiguration: the parts of a valid ntp.conf that this version of Stratum accepts but does
// not act on yet. ntpd names each one as a warning — in `--check` and in the log at start — so that
// nothing configured is silently ignored. The list shrinks as the sync-engine, ntpq/ntpdc and
// access-control work lands.
using Stratum.Core.Config;

namespace Stratum.Tools.Ntpd;

internal static class InactiveConfiguration
{
    /// <summary>True for a server or peer line with an address literal: mobilized at start; host names and
    /// pools are resolved at run time (NameMobilizer).</summary>
    public static bool IsMobilized(AssociationConfig association, out System.Net.IPAddress? address)
    {
        ArgumentNullException.ThrowIfNull(association);
        address = null;
        return association.Kind != AssociationKind.Pool && System.Net.IPAddress.TryParse(association.Address, out address);
    }

    public static IReadOnlyList<string> Describe(NtpConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var warnings = new List<string>();
        foreach (RefClockConfig refclock in config.RefClocks)
        {
            if (refclock.IsLocalClock && refclock.Time2 != 0)
            {
                warnings.Add($"fudge {refclock.Address} time2 (line {refclock.Line}): not used by the local clock driver");
            }
        }

        foreach (StatisticsKind kind in Enum.GetValues<StatisticsKind>())
        {
            if (config.IsStatisticsEnabled(kind) && Array.IndexOf(Stratum.Platform.Files.StatisticsWriter.WrittenKinds, kind) < 0)
            {
                warnings.Add($"statistics {kind.ToString().ToLowerInvariant()}: not written yet (loopstats, peerstats, rawstats, sysstats, protostats and clockstats are)");
            }
        }

        if (config.RequestKey is not null)
        {
            warnings.Add("requestkey: authenticated mode 7 requests are not implemented; ntpdc is read-only (use ntpq :config with the controlkey)");
        }

        // restrict, discard and mru are enforced (Engine/Access); only the MRU growth steps have no use,
        // because the list is allocated once at its maximum size.
        MruOptions mru = config.Mru;
        if (mru.InitialAllocation is not null || mru.InitialMemoryKib is not null || mru.IncrementAllocation is not null || mru.IncrementMemoryKib is not null)
        {
            warnings.Add("mru initalloc/initmem/incalloc/incmem: not used; the MRU list is allocated once at its maximum size (maxdepth/maxmem)");
        }

        TosOptions tos = config.Tos;
        if (tos.BeaconInterval is not null || tos.Floor is not null || tos.Ceiling is not null || tos.Cohort is not null)
        {
            warnings.Add("tos beacon/floor/ceiling/cohort: not used yet (minsane, minclock, maxclock, maxdist, mindist, orphan and orphanwait are)");
        }

        TinkerOptions tinker = config.Tinker;
        if (tinker.AllanIntercept is not null || tinker.DispersionRate is not null || tinker.HuffPuffWindow is not null || tinker.Tick is not null)
        {
            warnings.Add("tinker allan/dispersion/huffpuff/tick: not used by this clock discipline (its loop filter weighs each sample by its "
                + "measured noise instead of an Allan intercept, ages dispersion at the rate it measures, bounds congested samples by their "
                + "extra delay, and sets the kernel tick itself); step, stepback, stepfwd, stepout, panic and freq are used");
        }

        if (config.Nts.Enabled || config.Associations.Any(static a => a.Nts))
        {
            warnings.Add("nts: not used by the daemon yet: 'nts enable' starts no key exchange server and 'server … nts' associations run without NTS");
        }

        return warnings;
    }
}
