// PeerSummaryItem: struct info_peer_summary of ntpd 4.2.8's ntp_request.h, one per association in
// the answer to REQ_PEER_LIST_SUM (ntpdc peers). 72 octets (v4sizeof 32): dstadr 0, srcadr 4,
// srcport 8, stratum 10, hpoll 11, ppoll 12, reach 13, flags 14, hmode 15, delay 16 (s_fp),
// offset 20 (l_fp), dispersion 28 (u_fp), v6_flag 32, unused 36, dstadr6 40, srcadr6 56.
using System.Buffers.Binary;
using System.Net;

namespace Stratum.Core.Mode7;

/// <summary>One association's summary as mode 7 carries it.</summary>
public sealed record PeerSummaryItem(
    IPAddress LocalAddress,
    IPAddress SourceAddress,
    ushort SourcePort,
    byte Stratum,
    sbyte HostPoll,
    sbyte PeerPoll,
    byte Reach,
    byte Flags,
    byte HostMode,
    int Delay,
    long Offset,
    uint Dispersion)
{
    public const int Size = 72;
    public const int LegacySize = 32;

    /// <summary>INFO_FLAG_* peer flags.</summary>
    public const byte FlagConfigured = 0x01, FlagSystemPeer = 0x02, FlagBurst = 0x04, FlagRefclock = 0x08,
        FlagPrefer = 0x10, FlagAuthEnabled = 0x20, FlagCandidate = 0x40, FlagShortlist = 0x80;

    public void Write(Span<byte> destination)
    {
        destination[..Size].Clear();
        bool v6 = SourceAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        PeerAddresses.Write(destination, v6, LocalAddress, 0, 40);
        PeerAddresses.Write(destination, v6, SourceAddress, 4, 56);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], SourcePort);
        destination[10] = Stratum;
        destination[11] = (byte)HostPoll;
        destination[12] = (byte)PeerPoll;
        destination[13] = Reach;
        destination[14] = Flags;
        destination[15] = HostMode;
        BinaryPrimitives.WriteInt32BigEndian(destination[16..], Delay);
        BinaryPrimitives.WriteInt64BigEndian(destination[20..], Offset);
        BinaryPrimitives.WriteUInt32BigEndian(destination[28..], Dispersion);
        BinaryPrimitives.WriteUInt32BigEndian(destination[32..], v6 ? 1u : 0u);
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out PeerSummaryItem? item)
    {
        item = null;
        if (source.Length < LegacySize)
        {
            return false;
        }

        bool v6 = source.Length >= Size && BinaryPrimitives.ReadUInt32BigEndian(source[32..]) != 0;
        item = new PeerSummaryItem(PeerAddresses.Read(source, v6, 0, 40), PeerAddresses.Read(source, v6, 4, 56),
            BinaryPrimitives.ReadUInt16BigEndian(source[8..]), source[10], (sbyte)source[11], (sbyte)source[12], source[13],
            source[14], source[15], BinaryPrimitives.ReadInt32BigEndian(source[16..]), BinaryPrimitives.ReadInt64BigEndian(source[20..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[28..]));
        return true;
    }
}
