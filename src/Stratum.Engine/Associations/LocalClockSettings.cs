// LocalClockSettings: what `server 127.127.1.u` and `fudge 127.127.1.u stratum N time1 S refid XXXX`
// configure for the local clock driver (ntpd's refclock type 1, "LOCAL(u)").
using Stratum.Core.Wire;

namespace Stratum.Engine.Associations;

/// <summary>Configuration of one local clock driver instance.</summary>
public sealed record LocalClockSettings(byte Unit, byte Stratum, double Time1Seconds, ReferenceId ReferenceId, bool Prefer)
{
    /// <summary>ntpd's default stratum for the local clock driver when no fudge sets one.</summary>
    public const byte DefaultStratum = 5;

    public static ReferenceId DefaultReferenceId => ReferenceId.FromAscii("LOCL");

    /// <summary>The name ntpq shows for this association.</summary>
    public string DisplayName => $"LOCAL({Unit})";

    /// <summary>The driver's pseudo-address, 127.127.1.unit: the refid of a server synchronized to it
    /// at stratum 2 or more (ntpd's clock_update).</summary>
    public System.Net.IPAddress Address => new([127, 127, 1, Unit]);
}
