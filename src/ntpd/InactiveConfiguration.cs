// InactiveConfiguration: the parts of a valid ntp.conf that this version of Stratum accepts but does
// not act on yet. ntpd names each one as a warning — in `--check` and in the log at start — so that
// nothing configured is silently ignored. The list shrinks as the sync-engine, ntpq/ntpdc and
// access-control work lands.
using Stratum.Core.Config;

namespace Stratum.Tools.Ntpd;

internal static class InactiveConfiguration
{
    /// <summary>True for a server or peer line with an address literal: those associations run today.</summary>
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
        foreach (AssociationConfig association in config.Associations)
        {
            if (!IsMobilized(association, out _))
            {
                warnings.Add($"{association.Kind.ToString().ToLowerInvariant()} {association.Address} (line {association.Line}): host names and pools are not resolved yet; association not mobilized");
            }
        }

        foreach (RefClockConfig refclock in config.RefClocks)
        {
            if (refclock.IsLocalClock && refclock.Time2 != 0)
            {
                warnings.Add($"fudge {refclock.Address} time2 (line {refclock.Line}): not used by the local clock driver");
            }
        }

        if (config.DriftFile is not null)
        {
            warnings.Add($"driftfile {config.DriftFile}: not read or written yet");
        }

        if (config.StatsDirectory is not null || config.Statistics.Count > 0 || config.Filegens.Count > 0)
        {
            warnings.Add("statsdir/statistics/filegen: statistics files are not written yet");
        }

        if (config.LeapFile is not null)
        {
            warnings.Add($"leapfile {config.LeapFile}: leap second files are not read yet");
        }

        if (config.KeysFile is not null || config.TrustedKeys.Count > 0 || config.ControlKey is not null || config.RequestKey is not null)
        {
            warnings.Add("keys/trustedkey/controlkey/requestkey: symmetric-key authentication is not implemented yet; requests with a MAC get a crypto-NAK");
        }

        if (config.Restrictions.Count > 0)
        {
            warnings.Add("restrict: access control is not enforced yet; every client is answered");
        }

        if (config.Discard != DiscardOptions.Default || config.Mru != MruOptions.Default)
        {
            warnings.Add("discard/mru: rate limiting is not implemented yet");
        }

        if (config.Tos != TosOptions.Default || config.Tinker != TinkerOptions.Default)
        {
            warnings.Add("tos/tinker: selection and discipline parameters are not used yet");
        }

        if (config.System with { ClockDiscipline = SystemOptions.Default.ClockDiscipline } != SystemOptions.Default)
        {
            warnings.Add("enable/disable: only 'ntp' is acted on yet");
        }

        return warnings;
    }
}
