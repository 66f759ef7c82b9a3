// MruListWriter: the data of a READ_MRU answer (ntpd 4.2.8 ntp_control.c read_mru_list). Entries
// go out oldest first, numbered from 0 in each answer: "addr.N=192.0.2.1:40000,
// last.N=0x…, first.N=0x… (hex l_fp receive times), ct.N=packets, mv.N=version*8+mode (ntpd's
// vn_mode), rs.N=0x… (restrict flags as ntpd's RES_* bits)". A continuation request names the
// newest entries the client already has (last.N/addr.N, newest first); the answer starts after
// the first of them still unchanged in the list, confirmed by "last.older=…, addr.older=…"
// (with limit=1 it is that entry itself), or fails with CERR_UNKNOWNVAR when every one of them
// has moved, so ntpq backs up. "nonce=…" (a fresh one) comes next, then the entries. An answer
// that reaches the newest entry ends with "now=0x…" and, when it holds entries, "last.newest=…".
// Parameters as ntpd: frags= (1..128 datagrams) or limit= (1..256 entries) must be given, else
// CERR_BADVALUE; mincount=, resall=, resany=, maxlstint= filter entries.
// Size: as in ntpd, an answer never needs more than frags= datagrams; entries start only while
// there is room for a whole entry and the closing now=/last.newest within that budget (ntpd
// starts one while the datagram count is below frags= and lets it spill into the last one), and
// at least one entry goes out per answer so a fetch always advances.
// Deviations: fields come in a fixed order and no random-named noise tags are added (ntpd
// shuffles and salts them to keep clients honest; clients must accept any order anyway);
// laddr= is parsed but filters nothing, because the list does not record the interface a
// packet arrived on (ntpd also filters nothing when laddr= names no address of its own).
using System.Globalization;
using Stratum.Core.Mode6;
using Stratum.Core.Time;
using Stratum.Engine.Access;

namespace Stratum.Engine.Control;

/// <summary>How a READ_MRU answer was built.</summary>
internal enum MruAnswer
{
    /// <summary>The writer holds the answer.</summary>
    Written,
    /// <summary>Neither a valid frags= nor a valid limit= (CERR_BADVALUE).</summary>
    BadValue,
    /// <summary>None of the client's prior entries is still unchanged (CERR_UNKNOWNVAR).</summary>
    UnknownStart,
}

/// <summary>Formats MRU entries for READ_MRU.</summary>
internal static class MruListWriter
{
    /// <summary>ntpd MRU_FRAGS_LIMIT: most datagrams a client may ask for.</summary>
    public const int FragmentLimit = 128;

    /// <summary>ntpd MRU_ROW_LIMIT: most entries a limit= request may ask for.</summary>
    public const int RowLimit = 256;

    /// <summary>Upper bound of one entry's text, separators included (IPv6 address with port, 10-digit count, 3-digit index).</summary>
    private const int MaxEntryText = 192;

    /// <summary>Room kept for ", now=0x…, last.newest=0x…".</summary>
    private const int TrailerText = 64;

    /// <summary>Builds one answer into <paramref name="writer"/> (cleared first).</summary>
    /// <param name="list">The MRU list, or null when the server keeps none (answers an empty list).</param>
    /// <param name="request">The parsed request; its nonce has been checked.</param>
    /// <param name="nonce">The fresh nonce to hand out.</param>
    /// <param name="now">Loop time: "now=" and maxlstint= use its real part.</param>
    /// <param name="writer">Receives the variable list.</param>
    public static MruAnswer Write(MruList? list, MruRequest request, string nonce, LoopTime now, ControlVariableWriter writer)
    {
        writer.Clear();
        int frags = request.Frags;
        uint limit = request.Limit;
        if ((frags == 0 && limit is 0 or > RowLimit) || frags > FragmentLimit)
        {
            return MruAnswer.BadValue;
        }

        if (frags != 0 && limit == 0)
        {
            limit = uint.MaxValue;
        }
        else if (limit != 0 && frags == 0)
        {
            frags = FragmentLimit;
        }

        ClientAddress start = default;
        bool startFound = false;
        if (request.PriorCount > 0)
        {
            startFound = TryFindStart(list, request, out MruEntryView older);
            if (!startFound)
            {
                return MruAnswer.UnknownStart;
            }

            start = older.Address;
            writer.AddTimestamp("last.older", older.LastSeen);
            writer.AddRaw("addr.older", older.Address.ToString());
        }

        writer.AddRaw("nonce", nonce);
        int budget = frags * ControlMessage.MaxDataLength;
        bool complete = true;
        bool skipping = startFound;
        int written = 0;
        NtpTimestamp newest = default;
        if (list is not null)
        {
            foreach (MruEntryView entry in list.OldestFirst)
            {
                if (skipping)
                {
                    if (!entry.Address.SameHost(start))
                    {
                        continue;
                    }

                    skipping = false;
                    if (limit > 1)
                    {
                        continue;
                    }
                }

                if (!Selected(entry, request, now))
                {
                    continue;
                }

                if (written >= limit || (written > 0 && writer.Length + MaxEntryText + TrailerText > budget))
                {
                    complete = false;
                    break;
                }

                WriteEntry(entry, written, writer);
                newest = entry.LastSeen;
                written++;
            }
        }

        if (complete)
        {
            writer.AddTimestamp("now", now.Real);
            if (written > 0)
            {
                writer.AddTimestamp("last.newest", newest);
            }
        }

        return MruAnswer.Written;
    }

    /// <summary>The first prior pair (in the client's order) whose address, port and last time still match an entry.</summary>
    private static bool TryFindStart(MruList? list, MruRequest request, out MruEntryView older)
    {
        older = default;
        if (list is null)
        {
            return false;
        }

        for (int i = 0; i < request.PriorCount; i++)
        {
            ClientAddress prior = request.PriorAddress(i);
            if (list.TryGet(prior, out MruEntryView entry) && entry.Address.Port == prior.Port && entry.LastSeen == request.PriorLast(i))
            {
                older = entry;
                return true;
            }
        }

        return false;
    }

    /// <summary>ntpd's filters: mincount, resall (all bits), resany (some bit), maxlstint (seconds since last).</summary>
    private static bool Selected(in MruEntryView entry, MruRequest request, LoopTime now)
    {
        ushort bits = NtpdRestrictBits.From(entry.Flags);
        return entry.Count >= request.MinCount
            && (request.ResAll == 0 || (bits & request.ResAll) == request.ResAll)
            && (request.ResAny == 0 || (bits & request.ResAny) != 0)
            && (request.MaxLastInterval == 0 || unchecked(now.Real.Seconds - entry.LastSeen.Seconds) <= request.MaxLastInterval);
    }

    private static void WriteEntry(in MruEntryView entry, int index, ControlVariableWriter writer)
    {
        string n = index.ToString(CultureInfo.InvariantCulture);
        writer.AddRaw("addr." + n, entry.Address.ToString());
        writer.AddTimestamp("last." + n, entry.LastSeen);
        writer.AddTimestamp("first." + n, entry.FirstSeen);
        writer.AddInteger("ct." + n, entry.Count);
        writer.AddInteger("mv." + n, (entry.Version << 3) | entry.Mode);
        writer.AddHex("rs." + n, NtpdRestrictBits.From(entry.Flags));
    }
}
