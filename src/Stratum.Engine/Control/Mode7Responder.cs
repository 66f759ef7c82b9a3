// Mode7Responder: a read-only subset of ntpd 4.2.8's mode 7 ("private", ntpdc) server
// (ntp_request.c): REQ_PEER_LIST, REQ_PEER_LIST_SUM, REQ_PEER_INFO, REQ_SYS_INFO, REQ_SYS_STATS,
// REQ_IO_STATS, REQ_LOOP_INFO and REQ_GET_KERNEL, with ntp_request.h's item layouts (Core/Mode7).
// It answers only with `enable mode7` (ControlHostState.Mode7Enabled); otherwise every mode 7
// datagram is dropped, as ntpd 4.2.8 does by default.
//
// Amplification rule: the whole answer (every fragment, headers included) is never longer than
// the request that asked for it. ntpdc pads unauthenticated requests to 184 octets, so sysinfo,
// sysstats, iostats, loopinfo, kerninfo, up to 5 listpeers rows and up to 2 peers rows fit; an
// answer that would be longer is refused with INFO_ERR_REQ (a bare 8-octet header), and Stratum's
// ntpdc then asks the same over mode 6. Monitor lists (REQ_MON_GETLIST, REQ_MON_GETLIST_1) and
// every request that would change state are refused the same way: never monlist, never a write.
// Deviation: ntpd answers what fits in 500-octet fragments regardless of the request size.
using System.Net;
using Stratum.Core.Mode6;
using Stratum.Core.Mode7;
using Stratum.Core.Time;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Control;

/// <summary>Builds mode 7 responses from the engine's state. Loop thread only.</summary>
public sealed class Mode7Responder
{
    private readonly NtpEngine _engine;
    private readonly ControlResponder _control;
    private readonly List<byte[]> _reply = [];

    internal Mode7Responder(NtpEngine engine, ControlResponder control)
    {
        _engine = engine;
        _control = control;
    }

    /// <summary>Mode 7 requests dropped (disabled, malformed, or a response).</summary>
    public long Dropped { get; private set; }

    /// <summary>Requests refused with an error code.</summary>
    public long Refused { get; private set; }

    /// <summary>Requests answered with data.</summary>
    public long Answered { get; private set; }

    /// <summary>Answers one datagram: the datagrams to send (empty: send nothing). The list is reused.</summary>
    public IReadOnlyList<byte[]> Respond(ReadOnlySpan<byte> request, LoopTime now)
    {
        _reply.Clear();
        if (!_control.Host.Mode7Enabled || !Mode7Message.TryRead(request, out Mode7Header header, out ReadOnlySpan<byte> data, out _)
            || header.IsResponse)
        {
            Dropped++;
            return _reply;
        }

        if (header.Implementation is not (Mode7Implementation.Xntpd or Mode7Implementation.XntpdOld or Mode7Implementation.Universal))
        {
            return Refuse(header, Mode7ErrorCode.Implementation);
        }

        IReadOnlyList<ControlAssociation> associations = _control.CollectAssociations();
        (byte[]? items, int itemSize, int count) = header.Request switch
        {
            Mode7RequestCode.SystemInfo => One(SystemInfo(now), SystemInfoItem.Size),
            Mode7RequestCode.SystemStats => One(SystemStats(now), SystemStatsItem.Size),
            Mode7RequestCode.IoStats => One(IoStats(now), IoStatsItem.Size),
            Mode7RequestCode.LoopInfo => One(LoopInfo(now), LoopInfoItem.Size),
            Mode7RequestCode.GetKernel => One(KernelInfo(now), KernelInfoItem.Size),
            Mode7RequestCode.PeerList => PeerList(associations),
            Mode7RequestCode.PeerListSummary => PeerSummaries(associations),
            Mode7RequestCode.PeerInfo => PeerInfos(associations, header, data, now),
            _ => (null, 0, 0),
        };

        if (items is null)
        {
            return Refuse(header, Mode7ErrorCode.Request);
        }

        if (count == 0)
        {
            return Refuse(header, Mode7ErrorCode.NoData);
        }

        if (Mode7Message.HeaderSize + items.Length > request.Length || items.Length > Mode7Message.MaxResponseData)
        {
            return Refuse(header, Mode7ErrorCode.Request);
        }

        var reply = new byte[Mode7Message.HeaderSize + items.Length];
        Mode7Message.Write(new Mode7Header(true, false, header.Version, false, 0, header.Implementation, header.Request,
            Mode7ErrorCode.None, (ushort)count, (ushort)itemSize), items, reply);
        _reply.Add(reply);
        Answered++;
        return _reply;
    }

    private List<byte[]> Refuse(in Mode7Header request, Mode7ErrorCode error)
    {
        Refused++;
        var reply = new byte[Mode7Message.HeaderSize];
        Mode7Message.Write(new Mode7Header(true, false, request.Version, false, 0, request.Implementation, request.Request,
            error, 0, 0), [], reply);
        _reply.Add(reply);
        return _reply;
    }

    private static (byte[]?, int, int) One(byte[] item, int size) => (item, size, 1);

    private byte[] SystemInfo(LoopTime now)
    {
        SystemVariables system = _engine.System;
        Discipline.DisciplineStatus discipline = _engine.Sources.Discipline.Status;
        ControlAssociation? peer = _control.SystemPeerAssociation();
        var item = new SystemInfoItem(
            peer?.Source.Address ?? IPAddress.Any,
            peer?.HostMode ?? 0,
            (byte)system.Leap,
            system.Stratum,
            system.Precision,
            Mode7Fixed.ToShort(system.RootDelay),
            Mode7Fixed.ToUnsignedShort(system.IsSynchronized ? system.RootDispersionAt(now.MonoSeconds) : 0),
            system.ReferenceId.Value,
            system.ReferenceTime.Raw,
            (uint)discipline.TimeConstant,
            _control.SystemFlags(),
            Mode7Fixed.ToShort(_engine.Casting.Settings.BroadcastDelay ?? 0),
            Mode7Fixed.ToShort(_engine.Sources.SystemJitter),
            0,
            Mode7Fixed.ToUnsignedShort(discipline.Wander * 1e6));
        var bytes = new byte[SystemInfoItem.Size];
        item.Write(bytes);
        return bytes;
    }

    private byte[] SystemStats(LoopTime now)
    {
        Server.ServerCounters server = _engine.Server.Counters;
        uint uptime = (uint)_control.UptimeSeconds(now);
        var item = new SystemStatsItem(uptime, (uint)_control.StatisticsAgeSeconds(now), (uint)server.Restricted, (uint)server.OlderVersion,
            (uint)server.CurrentVersion, (uint)server.Declined,
            (uint)server.DroppedMalformed, (uint)server.Replied, (uint)server.CryptoNaks, (uint)server.Received, (uint)server.RateLimited);
        var bytes = new byte[SystemStatsItem.Size];
        item.Write(bytes);
        return bytes;
    }

    private byte[] IoStats(LoopTime now)
    {
        ControlHostState host = _control.Host;
        var item = new IoStatsItem((uint)_control.UptimeSeconds(now), 0, 0, 0, 0, (uint)host.Dropped,
            (uint)(_engine.Server.Counters.Dropped + _control.Dropped), (uint)host.Received, (uint)host.Sent, (uint)host.SendFailures,
            (uint)host.Wakeups, (uint)host.UsefulWakeups);
        var bytes = new byte[IoStatsItem.Size];
        item.Write(bytes);
        return bytes;
    }

    private byte[] LoopInfo(LoopTime now)
    {
        Discipline.DisciplineStatus discipline = _engine.Sources.Discipline.Status;
        SystemVariables system = _engine.System;
        uint watchdog = system.ReferenceTime.IsZero ? 0 : (uint)Math.Max(0, now.MonoSeconds - system.ReferenceMonoSeconds);
        var item = new LoopInfoItem(Mode7Fixed.ToLong(discipline.Offset), Mode7Fixed.ToLong(discipline.Frequency * 1e6),
            discipline.TimeConstant, watchdog);
        var bytes = new byte[LoopInfoItem.Size];
        item.Write(bytes);
        return bytes;
    }

    /// <summary>REQ_GET_KERNEL: the kernel's timex fields as mode 6's k* variables show them (the same
    /// once-a-second read), each cut to 32 (status, shift: 16) bits as ntpd's get_kernel_info does.
    /// Without a kernel discipline every field is zero, as the k* variables then read.</summary>
    /// <remarks>Deviation: ntpd answers INFO_ERR_NODATA when the kernel lacks the NTP discipline
    /// (pll_control off); a simulated or virtual clock answers zeros instead, so that ntpdc's mode 7
    /// and mode 6 outputs agree.</remarks>
    private byte[] KernelInfo(LoopTime now)
    {
        var bytes = new byte[KernelInfoItem.Size];
        if (_control.KernelLoop(now) is KernelLoopState kernel)
        {
            ToKernelInfo(kernel).Write(bytes);
        }

        return bytes;
    }

    /// <summary>struct timex to struct info_kernel, field for field, unscaled.</summary>
    internal static KernelInfoItem ToKernelInfo(in KernelLoopState kernel) => new(
        (int)kernel.Offset, (int)kernel.Frequency, (int)kernel.MaxError, (int)kernel.EstimatedError, (ushort)kernel.Status,
        (ushort)kernel.PpsShift, (int)kernel.TimeConstant, (int)kernel.Precision, (int)kernel.Tolerance, (int)kernel.PpsFrequency,
        (int)kernel.PpsJitter, (int)kernel.PpsStability, (int)kernel.PpsJitterCount, (int)kernel.PpsCalibrationCount,
        (int)kernel.PpsErrorCount, (int)kernel.PpsStabilityCount);

    private static (byte[]?, int, int) PeerList(IReadOnlyList<ControlAssociation> associations)
    {
        var bytes = new byte[associations.Count * PeerListItem.Size];
        for (int i = 0; i < associations.Count; i++)
        {
            ControlAssociation association = associations[i];
            new PeerListItem(association.Source.Address, (ushort)association.Source.Port, association.HostMode, PeerFlags(association))
                .Write(bytes.AsSpan(i * PeerListItem.Size));
        }

        return (bytes, PeerListItem.Size, associations.Count);
    }

    private (byte[]?, int, int) PeerSummaries(IReadOnlyList<ControlAssociation> associations)
    {
        var bytes = new byte[associations.Count * PeerSummaryItem.Size];
        for (int i = 0; i < associations.Count; i++)
        {
            ControlAssociation association = associations[i];
            new PeerSummaryItem(LocalAddress(association), association.Source.Address, (ushort)association.Source.Port, association.Stratum,
                association.HostPoll, association.PeerPoll, association.Reach, PeerFlags(association), association.HostMode,
                Mode7Fixed.ToShort(association.Delay), Mode7Fixed.ToLong(association.Offset), Mode7Fixed.ToUnsignedShort(association.Dispersion))
                .Write(bytes.AsSpan(i * PeerSummaryItem.Size));
        }

        return (bytes, PeerSummaryItem.Size, associations.Count);
    }

    /// <summary>REQ_PEER_INFO: one info_peer per selector (address) that names an association.</summary>
    private (byte[]?, int, int) PeerInfos(IReadOnlyList<ControlAssociation> associations, in Mode7Header request, ReadOnlySpan<byte> data, LoopTime now)
    {
        var found = new List<ControlAssociation>();
        for (int i = 0; i < request.ItemCount && request.ItemSize >= PeerListItem.LegacySize; i++)
        {
            if (!PeerListItem.TryRead(data.Slice(i * request.ItemSize, request.ItemSize), out PeerListItem? selector) || selector is null)
            {
                return (null, 0, 0);
            }

            foreach (ControlAssociation association in associations)
            {
                if (association.Source.Address.Equals(selector.Address))
                {
                    found.Add(association);
                    break;
                }
            }
        }

        var bytes = new byte[found.Count * PeerInfoItem.Size];
        for (int i = 0; i < found.Count; i++)
        {
            PeerInfo(found[i], now).Write(bytes.AsSpan(i * PeerInfoItem.Size));
        }

        return (bytes, PeerInfoItem.Size, found.Count);
    }

    private PeerInfoItem PeerInfo(ControlAssociation association, LoopTime now)
    {
        Span<double> offsets = stackalloc double[PeerInfoItem.FilterStages];
        Span<double> delays = stackalloc double[PeerInfoItem.FilterStages];
        Span<double> dispersions = stackalloc double[PeerInfoItem.FilterStages];
        association.FillFilter(offsets, delays, dispersions);
        var filterDelay = new int[PeerInfoItem.FilterStages];
        var filterOffset = new long[PeerInfoItem.FilterStages];
        var order = new byte[PeerInfoItem.FilterStages];
        for (int i = 0; i < PeerInfoItem.FilterStages; i++)
        {
            filterDelay[i] = Mode7Fixed.ToShort(delays[i]);
            filterOffset[i] = Mode7Fixed.ToLong(offsets[i]);
            order[i] = (byte)i;
        }

        return new PeerInfoItem(LocalAddress(association), association.Source.Address, (ushort)association.Source.Port,
            PeerFlags(association), association.Leap, association.HostMode, association.PeerMode, association.Stratum,
            association.PeerPoll, association.HostPoll, association.Precision, 4, association.Reach,
            (byte)Math.Min(association.Unreach, byte.MaxValue), association.Flash(now), (ushort)association.Id, 0, association.ReferenceId.Value, 0,
            Mode7Fixed.ToShort(association.RootDelay), Mode7Fixed.ToUnsignedShort(association.RootDispersion), association.ReferenceTime.Raw,
            0, association.LastReceived(now).Raw, 0, filterDelay, filterOffset, order, Mode7Fixed.ToShort(association.Delay),
            Mode7Fixed.ToUnsignedShort(association.Dispersion), Mode7Fixed.ToLong(association.Offset), Mode7Fixed.ToUnsignedShort(association.Jitter));
    }

    private IPAddress LocalAddress(ControlAssociation association) =>
        _control.Host.AssociationSockets.TryGetValue(association.Id, out IPEndPoint? local) ? local.Address
            : association.Source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;

    /// <summary>INFO_FLAG_* of one association.</summary>
    private static byte PeerFlags(ControlAssociation association)
    {
        byte flags = PeerSummaryItem.FlagConfigured;
        if (association.IsSystemPeer)
        {
            flags |= PeerSummaryItem.FlagSystemPeer;
        }

        if (association.IsRefclock)
        {
            flags |= PeerSummaryItem.FlagRefclock;
        }

        if (association.IsPreferred)
        {
            flags |= PeerSummaryItem.FlagPrefer;
        }

        if (association.Selection >= PeerSelection.Candidate)
        {
            flags |= PeerSummaryItem.FlagCandidate | PeerSummaryItem.FlagShortlist;
        }

        return flags;
    }
}
