// MruEntryView: a read-only copy of one MRU entry for ntpq's mrulist (ntpd 4.2.8 ntpq.html
// "mrulist": addr, lstint/avgint from first and last, rstr, r (mode), v (version), count).
// Copies are taken on the loop thread; nothing in them refers back to the list.
using Stratum.Core.Config;
using Stratum.Core.Time;

namespace Stratum.Engine.Access;

/// <summary>One client as the MRU list knows it.</summary>
/// <param name="Address">The host and the source port of its latest packet.</param>
/// <param name="Count">Packets seen since the entry was created.</param>
/// <param name="FirstSeen">Receive time of the first packet (disciplined clock).</param>
/// <param name="LastSeen">Receive time of the latest packet (disciplined clock).</param>
/// <param name="FirstSeenMono">The same on the monotonic clock (ns), for intervals.</param>
/// <param name="LastSeenMono">The same on the monotonic clock (ns).</param>
/// <param name="Mode">Mode of the latest packet (3 client, 6 control, ...).</param>
/// <param name="Version">Version of the latest packet.</param>
/// <param name="Flags">Restrict flags that matched the latest packet.</param>
public readonly record struct MruEntryView(
    ClientAddress Address,
    int Count,
    NtpTimestamp FirstSeen,
    NtpTimestamp LastSeen,
    long FirstSeenMono,
    long LastSeenMono,
    byte Mode,
    byte Version,
    RestrictFlags Flags)
{
    internal static MruEntryView From(in MruEntry entry) => new(
        entry.Address,
        entry.Count,
        entry.FirstSeen,
        entry.LastSeen,
        entry.FirstMono,
        entry.LastMono,
        (byte)(entry.VersionMode & 0x07),
        (byte)((entry.VersionMode >> 3) & 0x07),
        entry.Flags);
}
