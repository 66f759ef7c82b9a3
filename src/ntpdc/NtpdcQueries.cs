// NtpdcQueries: where ntpdc's data comes from. It asks in mode 7 first (ntpd's private protocol,
// Mode7Client) and falls back to mode 6 (Mode6Client, the READVAR variables ntpq uses) when the
// server does not answer mode 7 at all (NTPsec, or ntpd/Stratum without `enable mode7`: the first
// request times out after a short probe and the session stays on mode 6) or refuses one request
// (INFO_ERR_REQ/IMPL, e.g. an answer larger than the request). Mode 6 values are turned into the
// same mode 7 items, through the same fixed-point types, so NtpdcPrinter prints one format either
// way. Limits of the fallback: values pass through mode 6's text first (milliseconds with 3
// decimals), so a last printed digit can differ from the mode 7 value; system flags need Stratum's
// `sysflags` variable (other servers: none). With ntpdc -d each fallback is announced on the
// trace at level 1 (Stratum's own lines: ntpdc 4.2.8 has no fallback).
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using Stratum.Client.Mode6;
using Stratum.Client.Mode7;
using Stratum.Core.Mode6;
using Stratum.Core.Mode7;
using Stratum.Core.Time;

namespace Stratum.Tools.Ntpdc;

/// <summary>Items for ntpdc's commands, over mode 7 or mode 6.</summary>
internal sealed class NtpdcQueries(Mode7Client mode7, Mode6Client mode6, long probeTimeoutNanoseconds)
{
    private bool? _mode7Answers;

    public Mode6Client Mode6 => mode6;

    public Mode7Client Mode7 => mode7;

    /// <summary>True once the session has fallen back to mode 6 for good.</summary>
    public bool UsingMode6 => _mode7Answers == false;

    public (SystemInfoItem? Item, string? Error) SystemInfo()
    {
        (Mode7Result? result, string? error) = AskMode7(Mode7RequestCode.SystemInfo);
        if (result is not null)
        {
            return SystemInfoItem.TryRead(result.Item(0), out SystemInfoItem? received) ? (received, null) : (null, Mismatch(result, SystemInfoItem.Size));
        }

        if (error is not null)
        {
            return (null, error);
        }

        (VariableList? vars, string? varError) = ReadSystem("peeradr,peermode,leap,stratum,precision,rootdelay,rootdisp,refid,reftime,sys_jitter,clk_wander,tc,bcastdelay,authdelay");
        if (vars is null)
        {
            return (null, varError);
        }

        (VariableList? flags, _) = ReadSystem("sysflags");
        byte stratum = (byte)vars.Unsigned("stratum");
        var fallback = new SystemInfoItem(
            EndpointAddress(vars["peeradr"]),
            (byte)vars.Unsigned("peermode"),
            (byte)vars.Unsigned("leap"),
            stratum,
            (sbyte)vars.Signed("precision"),
            Mode7Fixed.ToShort(vars.Milliseconds("rootdelay") / 1e3),
            Mode7Fixed.ToUnsignedShort(vars.Milliseconds("rootdisp") / 1e3),
            RefidValue(vars["refid"]),
            vars.Timestamp("reftime").Raw,
            (uint)vars.Signed("tc"),
            (byte)(flags?.Unsigned("sysflags") ?? 0),
            Mode7Fixed.ToShort(vars.Milliseconds("bcastdelay") / 1e3),
            Mode7Fixed.ToShort(vars.Milliseconds("sys_jitter") / 1e3),
            Mode7Fixed.ToLong(vars.Milliseconds("authdelay") / 1e3),
            Mode7Fixed.ToUnsignedShort(vars.Milliseconds("clk_wander")));
        return (fallback, null);
    }

    public (LoopInfoItem? Item, string? Error) LoopInfo()
    {
        (Mode7Result? result, string? error) = AskMode7(Mode7RequestCode.LoopInfo);
        if (result is not null)
        {
            return LoopInfoItem.TryRead(result.Item(0), out LoopInfoItem? item) ? (item, null) : (null, Mismatch(result, LoopInfoItem.Size));
        }

        if (error is not null)
        {
            return (null, error);
        }

        (VariableList? vars, string? varError) = ReadSystem("offset,frequency,tc,reftime,clock");
        if (vars is null)
        {
            return (null, varError);
        }

        NtpTimestamp reference = vars.Timestamp("reftime");
        NtpTimestamp clock = vars.Timestamp("clock");
        uint watchdog = reference.IsZero ? 0 : (uint)Math.Max(0, (clock - reference).TotalSeconds);
        return (new LoopInfoItem(Mode7Fixed.ToLong(vars.Milliseconds("offset") / 1e3), Mode7Fixed.ToLong(vars.Milliseconds("frequency")),
            (int)vars.Signed("tc"), watchdog), null);
    }

    public (SystemStatsItem? Item, string? Error) SystemStats()
    {
        (Mode7Result? result, string? error) = AskMode7(Mode7RequestCode.SystemStats);
        if (result is not null)
        {
            return SystemStatsItem.TryRead(result.Item(0), out SystemStatsItem? item) ? (item, null) : (null, Mismatch(result, SystemStatsItem.Size));
        }

        if (error is not null)
        {
            return (null, error);
        }

        (VariableList? vars, string? varError) = ReadSystem("ss_uptime,ss_reset,ss_received,ss_thisver,ss_oldver,ss_badformat,ss_badauth,ss_declined,ss_restricted,ss_limited,ss_processed");
        return vars is null ? (null, varError) : (new SystemStatsItem((uint)vars.Unsigned("ss_uptime"), (uint)vars.Unsigned("ss_reset"),
            (uint)vars.Unsigned("ss_restricted"), (uint)vars.Unsigned("ss_oldver"), (uint)vars.Unsigned("ss_thisver"), (uint)vars.Unsigned("ss_declined"),
            (uint)vars.Unsigned("ss_badformat"), (uint)vars.Unsigned("ss_processed"), (uint)vars.Unsigned("ss_badauth"), (uint)vars.Unsigned("ss_received"),
            (uint)vars.Unsigned("ss_limited")), null);
    }

    public (IoStatsItem? Item, string? Error) IoStats()
    {
        (Mode7Result? result, string? error) = AskMode7(Mode7RequestCode.IoStats);
        if (result is not null)
        {
            return IoStatsItem.TryRead(result.Item(0), out IoStatsItem? item) ? (item, null) : (null, Mismatch(result, IoStatsItem.Size));
        }

        if (error is not null)
        {
            return (null, error);
        }

        (VariableList? vars, string? varError) = ReadSystem("iostats_reset,total_rbuf,free_rbuf,used_rbuf,rbuf_lowater,io_dropped,io_ignored,io_received,io_sent,io_sendfailed,io_wakeups,io_goodwakeups");
        return vars is null ? (null, varError) : (new IoStatsItem((uint)vars.Unsigned("iostats_reset"), (ushort)vars.Unsigned("total_rbuf"),
            (ushort)vars.Unsigned("free_rbuf"), (ushort)vars.Unsigned("used_rbuf"), (ushort)vars.Unsigned("rbuf_lowater"), (uint)vars.Unsigned("io_dropped"),
            (uint)vars.Unsigned("io_ignored"), (uint)vars.Unsigned("io_received"), (uint)vars.Unsigned("io_sent"), (uint)vars.Unsigned("io_sendfailed"),
            (uint)vars.Unsigned("io_wakeups"), (uint)vars.Unsigned("io_goodwakeups")), null);
    }

    public (KernelInfoItem? Item, string? Error) KernelInfo()
    {
        (Mode7Result? result, string? error) = AskMode7(Mode7RequestCode.GetKernel);
        if (result is not null)
        {
            return KernelInfoItem.TryRead(result.Item(0), out KernelInfoItem? item) ? (item, null) : (null, Mismatch(result, KernelInfoItem.Size));
        }

        if (error is not null)
        {
            return (null, error);
        }

        (VariableList? vars, string? varError) = ReadSystem(
            "koffset,kfreq,kmaxerr,kesterr,kstflags,ktimeconst,kprecis,kfreqtol,kppsfreq,kppsstab,kppsjitter,kppscalibdur,kppscalibs,kppsjitexc,kppsstbexc,kppscaliberrs");
        return vars is null ? (null, varError) : (KernelInfoFromVariables(vars), null);
    }

    /// <summary>The mode 7 kernel item from ntpd's k* variables: ms back to the kernel's µs (ns with
    /// STA_NANO, named in kstflags), ppm back to 16.16 fixed point, the calibration interval to its shift.</summary>
    private static KernelInfoItem KernelInfoFromVariables(VariableList vars)
    {
        int status = KernelStatusText.Parse((vars["kstflags"] ?? string.Empty).Trim('"'));
        double fineUnitsPerMs = (status & KernelStatusText.Nano) != 0 ? 1e6 : 1e3;
        long interval = vars.Signed("kppscalibdur");
        ushort shift = interval > 1 ? (ushort)System.Numerics.BitOperations.Log2((ulong)interval) : (ushort)0;
        return new KernelInfoItem(
            (int)Math.Round(vars.Milliseconds("koffset") * fineUnitsPerMs), Mode7Fixed.ToShort(vars.Milliseconds("kfreq")),
            (int)Math.Round(vars.Milliseconds("kmaxerr") * 1e3), (int)Math.Round(vars.Milliseconds("kesterr") * 1e3),
            (ushort)status, shift, (int)vars.Signed("ktimeconst"), (int)Math.Round(vars.Milliseconds("kprecis") * 1e3),
            Mode7Fixed.ToShort(vars.Milliseconds("kfreqtol")), Mode7Fixed.ToShort(vars.Milliseconds("kppsfreq")),
            (int)Math.Round(vars.Milliseconds("kppsjitter") * fineUnitsPerMs), Mode7Fixed.ToShort(vars.Milliseconds("kppsstab")),
            (int)vars.Signed("kppsjitexc"), (int)vars.Signed("kppscalibs"), (int)vars.Signed("kppscaliberrs"), (int)vars.Signed("kppsstbexc"));
    }

    public (List<PeerSummaryItem>? Items, string? Error) PeerSummaries() =>
        PeerItems(Mode7RequestCode.PeerListSummary, PeerSummaryItem.TryRead, PeerSummaryItem.Size, peers =>
        {
            var summaries = new List<PeerSummaryItem>();
            foreach ((_, ushort status, VariableList vars) in peers)
            {
                summaries.Add(new PeerSummaryItem(vars.Address("dstadr"), vars.Address("srcadr"), (ushort)vars.Unsigned("srcport"),
                    (byte)vars.Unsigned("stratum"), (sbyte)vars.Signed("hpoll"), (sbyte)vars.Signed("ppoll"), (byte)vars.Unsigned("reach"),
                    PeerFlags(status, vars), (byte)vars.Unsigned("hmode"), Mode7Fixed.ToShort(vars.Milliseconds("delay") / 1e3),
                    Mode7Fixed.ToLong(vars.Milliseconds("offset") / 1e3), Mode7Fixed.ToUnsignedShort(vars.Milliseconds("dispersion") / 1e3)));
            }

            return summaries;
        });

    public (List<PeerListItem>? Items, string? Error) PeerList() =>
        PeerItems(Mode7RequestCode.PeerList, PeerListItem.TryRead, PeerListItem.Size, peers =>
        {
            var list = new List<PeerListItem>();
            foreach ((_, ushort status, VariableList vars) in peers)
            {
                list.Add(new PeerListItem(vars.Address("srcadr"), (ushort)vars.Unsigned("srcport"), (byte)vars.Unsigned("hmode"), PeerFlags(status, vars)));
            }

            return list;
        });

    public (List<PeerInfoItem>? Items, string? Error) PeerInfo(IReadOnlyList<IPAddress> addresses)
    {
        var selectors = new byte[addresses.Count * PeerListItem.Size];
        for (int i = 0; i < addresses.Count; i++)
        {
            new PeerListItem(addresses[i], 123, 0, 0).Write(selectors.AsSpan(i * PeerListItem.Size));
        }

        return PeerItems(Mode7RequestCode.PeerInfo, PeerInfoItem.TryRead, PeerInfoItem.Size, peers =>
        {
            var infos = new List<PeerInfoItem>();
            foreach (IPAddress address in addresses)
            {
                foreach ((ushort id, ushort status, VariableList vars) in peers)
                {
                    if (vars.Address("srcadr").Equals(address))
                    {
                        infos.Add(PeerInfoFrom(id, status, vars));
                        break;
                    }
                }
            }

            return infos;
        }, selectors, addresses.Count, PeerListItem.Size);
    }

    private delegate bool ItemReader<T>(ReadOnlySpan<byte> source, out T? item)
        where T : class;

    // A per-peer query: the mode 7 answer's items if the server answers mode 7, its error if it refuses,
    // else the same items built from the mode 6 peer variables.
    private (List<T>? Items, string? Error) PeerItems<T>(Mode7RequestCode request, ItemReader<T> read, int itemSize,
        Func<List<(ushort Id, ushort Status, VariableList Vars)>, List<T>> fromMode6,
        byte[]? selectors = null, int selectorCount = 0, int selectorSize = 0)
        where T : class
    {
        (Mode7Result? result, string? error) = AskMode7(request, selectors, selectorCount, selectorSize);
        if (result is not null)
        {
            var items = new List<T>();
            for (int i = 0; i < result.ItemCount; i++)
            {
                if (!read(result.Item(i), out T? item) || item is null)
                {
                    return (null, Mismatch(result, itemSize));
                }

                items.Add(item);
            }

            return (items, null);
        }

        if (error is not null)
        {
            return (null, error);
        }

        (List<(ushort Id, ushort Status, VariableList Vars)>? peers, string? peerError) = ReadPeers();
        return peers is null ? (null, peerError) : (fromMode6(peers), null);
    }

    /// <summary>Mode 7 first. Returns a result, or an error to print, or neither: ask mode 6.</summary>
    private (Mode7Result? Result, string? Error) AskMode7(Mode7RequestCode request, byte[]? items = null, int count = 0, int size = 0)
    {
        if (_mode7Answers == false)
        {
            return (null, null);
        }

        long timeout = mode7.TimeoutNanoseconds;
        if (_mode7Answers is null)
        {
            mode7.TimeoutNanoseconds = Math.Min(timeout, probeTimeoutNanoseconds);
        }

        Mode7Result result = mode7.Query(request, items, count, size);
        mode7.TimeoutNanoseconds = timeout;
        switch (result.Outcome)
        {
            case Mode7Outcome.Success:
                _mode7Answers = true;
                return result.ItemCount == 0 ? (null, "No data returned in response to query") : (result, null);
            case Mode7Outcome.Timeout when _mode7Answers is null:
                _mode7Answers = false;
                mode7.Trace?.Write(1, $"No mode 7 answer to {request}; using mode 6 from now on");
                return (null, null);
            case Mode7Outcome.ServerError when result.ServerError is Mode7ErrorCode.Request or Mode7ErrorCode.Implementation:
                _mode7Answers ??= true;
                mode7.Trace?.Write(1, $"Mode 7 {request} refused ({result.ServerError}); asking over mode 6");
                return (null, null);
            case Mode7Outcome.ServerError when result.ServerError == Mode7ErrorCode.NoData:
                return (null, "No data returned in response to query");
            default:
                return (null, result.Message);
        }
    }

    private static string Mismatch(Mode7Result result, int expected) =>
        string.Create(CultureInfo.InvariantCulture, $"***Incorrect item size returned by remote host ({result.ItemSize} should be {expected})");

    private (VariableList? Vars, string? Error) ReadSystem(string names)
    {
        Mode6Result result = mode6.Query(ControlOpcode.ReadVariables, 0, Encoding.ASCII.GetBytes(names));
        if (result.Error == Mode6Error.ServerError && result.ServerError == ControlErrorCode.UnknownVariable)
        {
            // A server without some of these names (ntpd, NTPsec): take its default list instead.
            result = mode6.Query(ControlOpcode.ReadVariables, 0, []);
        }

        return result.IsSuccess ? (VariableList.Parse(result.Data), null) : (null, result.Message(0));
    }

    private (List<(ushort, ushort, VariableList)>? Peers, string? Error) ReadPeers()
    {
        Mode6Result status = mode6.Query(ControlOpcode.ReadStatus, 0, []);
        if (!status.IsSuccess)
        {
            return (null, status.Message(0));
        }

        var peers = new List<(ushort, ushort, VariableList)>();
        for (int i = 0; i + 4 <= status.Data.Length; i += 4)
        {
            ushort id = BinaryPrimitives.ReadUInt16BigEndian(status.Data.AsSpan(i));
            Mode6Result vars = mode6.Query(ControlOpcode.ReadVariables, id, []);
            if (!vars.IsSuccess)
            {
                return (null, vars.Message(id));
            }

            peers.Add((id, vars.Status, VariableList.Parse(vars.Data)));
        }

        peers.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return (peers, null);
    }

    private static PeerInfoItem PeerInfoFrom(ushort id, ushort status, VariableList vars)
    {
        double[] delays = vars.Array("filtdelay");
        double[] offsets = vars.Array("filtoffset");
        var filterDelay = new int[PeerInfoItem.FilterStages];
        var filterOffset = new long[PeerInfoItem.FilterStages];
        var order = new byte[PeerInfoItem.FilterStages];
        for (int i = 0; i < PeerInfoItem.FilterStages; i++)
        {
            filterDelay[i] = Mode7Fixed.ToShort((i < delays.Length ? delays[i] : 0) / 1e3);
            filterOffset[i] = Mode7Fixed.ToLong((i < offsets.Length ? offsets[i] : 0) / 1e3);
            order[i] = (byte)i;
        }

        byte stratum = (byte)vars.Unsigned("stratum");
        return new PeerInfoItem(vars.Address("dstadr"), vars.Address("srcadr"), (ushort)vars.Unsigned("srcport"), PeerFlags(status, vars),
            (byte)vars.Unsigned("leap"), (byte)vars.Unsigned("hmode"), (byte)vars.Unsigned("pmode"), stratum, (sbyte)vars.Signed("ppoll"),
            (sbyte)vars.Signed("hpoll"), (sbyte)vars.Signed("precision"), 4, (byte)vars.Unsigned("reach"), (byte)vars.Unsigned("unreach"),
            (ushort)vars.Unsigned("flash"), id, (uint)vars.Unsigned("keyid"), RefidValue(vars["refid"]), 0,
            Mode7Fixed.ToShort(vars.Milliseconds("rootdelay") / 1e3), Mode7Fixed.ToUnsignedShort(vars.Milliseconds("rootdisp") / 1e3),
            vars.Timestamp("reftime").Raw, 0, vars.Timestamp("rec").Raw, 0, filterDelay, filterOffset, order,
            Mode7Fixed.ToShort(vars.Milliseconds("delay") / 1e3), Mode7Fixed.ToUnsignedShort(vars.Milliseconds("dispersion") / 1e3),
            Mode7Fixed.ToLong(vars.Milliseconds("offset") / 1e3), Mode7Fixed.ToUnsignedShort(vars.Milliseconds("jitter") / 1e3));
    }

    /// <summary>INFO_FLAG_* from a peer status word and variables.</summary>
    private static byte PeerFlags(ushort status, VariableList vars)
    {
        PeerStatusWord word = PeerStatusWord.Decode(status);
        byte flags = word.Configured ? PeerSummaryItem.FlagConfigured : (byte)0;
        if (word.Selection is PeerSelection.SystemPeer or PeerSelection.PpsPeer)
        {
            flags |= PeerSummaryItem.FlagSystemPeer;
        }

        IPAddress source = vars.Address("srcadr");
        if (source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && source.GetAddressBytes() is [127, 127, _, _])
        {
            flags |= PeerSummaryItem.FlagRefclock;
        }

        if (word.Selection >= PeerSelection.Candidate)
        {
            flags |= PeerSummaryItem.FlagCandidate | PeerSummaryItem.FlagShortlist;
        }

        return flags;
    }

    /// <summary>"LOCL" packs its bytes; a dotted quad is its 32 bits; else 0.</summary>
    private static uint RefidValue(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        if (text.Length <= 4 && !text.Contains('.', StringComparison.Ordinal))
        {
            uint value = 0;
            for (int i = 0; i < 4; i++)
            {
                value = (value << 8) | (i < text.Length ? (byte)text[i] : (byte)0);
            }

            return value;
        }

        return IPAddress.TryParse(text, out IPAddress? address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes())
            : 0;
    }

    private static IPAddress EndpointAddress(string? text)
    {
        if (text is null)
        {
            return IPAddress.Any;
        }

        if (IPEndPoint.TryParse(text, out IPEndPoint? endpoint))
        {
            return endpoint.Address;
        }

        return IPAddress.TryParse(text, out IPAddress? address) ? address : IPAddress.Any;
    }
}
