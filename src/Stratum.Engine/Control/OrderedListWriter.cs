// OrderedListWriter: the two READ_ORDLIST_A lists of ntpd 4.2.8 (ntp_control.c read_ordlist):
// interface statistics as "addr.N, bcast.N, en.N, flags.N, mc.N, name.N, pc.N, rx.N, tl.N, tx.N,
// txerr.N, up.N" rows (ntpq ifstats) and the restrict list as "addr.N, flags.N, hits.N, mask.N"
// rows (ntpq reslist). Rows are numbered from 0 in list order; up.N is the seconds since the socket
// was bound, rx/tx/txerr its datagram counts.
// The restrict list is the compiled table in force (AccessControl.Restrictions), so it shows what
// the lookups use: repeated lines merged, masked addresses, the built-in default entries, the
// "restrict source" entries ("source ...") and this host's interface entries ("ntpport interface
// ignore"), as ntpd's list does; hits.N is the entry's live count (ntpd's restrict_u count: the
// packets it decided), summed over --server-threads loops. Order: RestrictionTable's header.
// Deviation: ntpd writes each row's four tags in random order followed by a random tag; these rows
// are in fixed order, which ntpq and NTPsec's ntpq read the same.
using System.Globalization;
using Stratum.Core.Mode6;
using Stratum.Engine.Access;

namespace Stratum.Engine.Control;

internal static class OrderedListWriter
{
    public static void WriteInterfaces(IReadOnlyList<ControlInterface> interfaces, LoopTime now, ControlVariableWriter writer)
    {
        for (int i = 0; i < interfaces.Count; i++)
        {
            ControlInterface item = interfaces[i];
            string n = i.ToString(CultureInfo.InvariantCulture);
            writer.AddRaw("addr." + n, SystemVariableSet.FormatEndpoint(item.Address));
            writer.AddRaw("bcast." + n, string.Empty);
            writer.AddInteger("en." + n, 1);
            writer.AddHex("flags." + n, item.Address.Address.Equals(System.Net.IPAddress.Loopback) || item.Address.Address.Equals(System.Net.IPAddress.IPv6Loopback) ? 0x5u : 0x19u);
            writer.AddInteger("mc." + n, 0);
            writer.AddString("name." + n, item.Name);
            writer.AddInteger("pc." + n, 0);
            writer.AddInteger("rx." + n, item.Received);
            writer.AddInteger("tl." + n, 0);
            writer.AddInteger("tx." + n, item.Sent);
            writer.AddInteger("txerr." + n, item.SendErrors);
            writer.AddInteger("up." + n, item.StartMono is long start ? Math.Max(0, (now.Mono - start) / LoopTime.NanosecondsPerSecond) : 0);
        }
    }

    public static void WriteRestrictions(AccessControl access, ControlVariableWriter writer)
    {
        IReadOnlyList<RestrictEntry> entries = access.Restrictions.Entries;
        for (int i = 0; i < entries.Count; i++)
        {
            RestrictEntry entry = entries[i];
            string n = i.ToString(CultureInfo.InvariantCulture);
            writer.AddRaw("addr." + n, new ClientAddress(entry.Family, entry.Address, 0).ToIPAddress().ToString());
            writer.AddRaw("flags." + n, RestrictWords.Of(entry));
            writer.AddInteger("hits." + n, access.HitsOf(entry));
            writer.AddRaw("mask." + n, new ClientAddress(entry.Family, entry.Mask, 0).ToIPAddress().ToString());
        }
    }
}
