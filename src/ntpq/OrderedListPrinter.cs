// OrderedListPrinter: ntpq 4.2.8's ifstats and reslist output (ntpq-subs.c ifstats/reslist):
// rows of "name.N" variables collected by index, printed when complete ("%3u %-24.24s %c %4x %3u
// %2u %6u %6u %6u %5u %8d" + address line for ifstats; "%10lu %s" + flags line for reslist), with
// ntpq's warning when the last row is incomplete.
using System.Globalization;
using System.Net;
using System.Text;

namespace Stratum.Tools.Ntpq;

internal static class OrderedListPrinter
{
    private const string InterfaceHeader =
        "    interface name                                        send\n"
        + " #  address/broadcast     drop flag ttl mc received sent failed peers   uptime\n"
        + "==============================================================================\n";

    private const string RestrictionHeader =
        "   hits    addr/prefix or addr mask\n"
        + "           restrictions\n"
        + "==============================================================================\n";

    private static readonly string[] s_interfaceFields = ["addr", "bcast", "en", "flags", "mc", "name", "pc", "rx", "tl", "tx", "txerr", "up"];
    private static readonly string[] s_restrictionFields = ["addr", "flags", "hits", "mask"];

    public static string Interfaces(VariableList variables)
    {
        var text = new StringBuilder(InterfaceHeader);
        int fields = 0;
        List<Dictionary<string, string>> rows = Rows(variables, s_interfaceFields);
        for (int index = 0; index < rows.Count; index++)
        {
            Dictionary<string, string> row = rows[index];
            fields = row.Count;
            if (fields < s_interfaceFields.Length)
            {
                continue;
            }

            string name = row["name"].Trim('"');
            text.Append(CultureInfo.InvariantCulture,
                $"{index,3} {(name.Length > 24 ? name[..24] : name),-24} {(row["en"] == "0" ? 'D' : '.')} {Hex(row["flags"]),4} {row["tl"],3} {row["mc"],2} {row["rx"],6} {row["tx"],6} {row["txerr"],6} {row["pc"],5} {row["up"],8}\n");
            text.Append("    ").Append(row["addr"]).Append('\n');
            if (row["bcast"].Length > 0)
            {
                text.Append("    ").Append(row["bcast"]).Append('\n');
            }
        }

        if (fields != s_interfaceFields.Length)
        {
            text.Append(CultureInfo.InvariantCulture, $"Warning: incomplete row with {fields} (of {s_interfaceFields.Length}) fields\n");
        }

        return text.ToString();
    }

    public static string Restrictions(VariableList variables)
    {
        var text = new StringBuilder(RestrictionHeader);
        int fields = 0;
        foreach (Dictionary<string, string> row in Rows(variables, s_restrictionFields))
        {
            fields = row.Count;
            if (fields < s_restrictionFields.Length)
            {
                continue;
            }

            string address = row["addr"];
            string mask = row["mask"];
            int prefix = IPAddress.TryParse(mask, out IPAddress? maskAddress) ? PrefixLength(maskAddress) : -1;
            string addressMask = prefix >= 0 ? $"{address}/{prefix.ToString(CultureInfo.InvariantCulture)}" : $"{address} {mask}";
            text.Append(CultureInfo.InvariantCulture, $"{row["hits"],10} {addressMask}\n           {row["flags"]}\n");
        }

        if (fields != s_restrictionFields.Length)
        {
            text.Append(CultureInfo.InvariantCulture, $"Warning: incomplete row with {fields} (of {s_restrictionFields.Length}) fields");
        }

        return text.ToString();
    }

    /// <summary>Groups "field.N=value" items by N in order; "#" holds N.</summary>
    private static List<Dictionary<string, string>> Rows(VariableList variables, string[] fields)
    {
        var rows = new List<Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        string? currentIndex = null;
        foreach (KeyValuePair<string, string> item in variables.Items)
        {
            int dot = item.Key.LastIndexOf('.');
            if (dot <= 0 || Array.IndexOf(fields, item.Key[..dot]) < 0)
            {
                continue;
            }

            string index = item.Key[(dot + 1)..];
            if (current is null || index != currentIndex)
            {
                current = new Dictionary<string, string>(StringComparer.Ordinal);
                rows.Add(current);
                currentIndex = index;
            }

            current[item.Key[..dot]] = item.Value;
        }

        return rows;
    }

    private static string Hex(string value) =>
        NtpqValues.TryParseUnsigned(value, out ulong parsed) ? parsed.ToString("x", CultureInfo.InvariantCulture) : value;

    /// <summary>sockaddr_masktoprefixlen: the prefix length of a contiguous mask, else -1.</summary>
    private static int PrefixLength(IPAddress mask)
    {
        byte[] bytes = mask.GetAddressBytes();
        int length = 0;
        bool ended = false;
        foreach (byte b in bytes)
        {
            for (int bit = 7; bit >= 0; bit--)
            {
                bool set = ((b >> bit) & 1) != 0;
                if (set && ended)
                {
                    return -1;
                }

                if (set)
                {
                    length++;
                }
                else
                {
                    ended = true;
                }
            }
        }

        return length;
    }
}
