// PeerInfoItem: struct info_peer of ntpd 4.2.8's ntp_request.h, the detail of one association
// answering REQ_PEER_INFO (ntpdc showpeer). 280 octets (v4sizeof 240). Offsets: dstadr 0,
// srcadr 4, srcport 8, flags 10, leap 11, hmode 12, pmode 13, stratum 14, ppoll 15, hpoll 16,
// precision 17, version 18, reach 20, unreach 21, flash 22, ttl 23, flash2 24, associd 26,
// keyid 28, pkeyid 32, refid 36, timer 40, rootdelay 44, rootdispersion 48, reftime 52, org 60,
// rec 68, xmt 76, filtdelay 84 (8 s_fp), filtoffset 116 (8 l_fp), order 180 (8 octets), delay 188,
// dispersion 192, offset 196 (l_fp), selectdisp 204, 7 unused words, estbdelay 236, v6_flag 240,
// unused 244, dstadr6 248, srcadr6 264.
using System.Buffers.Binary;
using System.Net;

namespace Stratum.Core.Mode7;

/// <summary>One association's detail as mode 7 carries it (raw fixed-point fields).</summary>
public sealed record PeerInfoItem(
    IPAddress LocalAddress,
    IPAddress SourceAddress,
    ushort SourcePort,
    byte Flags,
    byte Leap,
    byte HostMode,
    byte PeerMode,
    byte Stratum,
    sbyte PeerPoll,
    sbyte HostPoll,
    sbyte Precision,
    byte Version,
    byte Reach,
    byte Unreach,
    ushort Flash,
    ushort AssociationId,
    uint KeyId,
    uint ReferenceId,
    uint Timer,
    int RootDelay,
    uint RootDispersion,
    ulong ReferenceTime,
    ulong Origin,
    ulong Receive,
    ulong Transmit,
    int[] FilterDelay,
    long[] FilterOffset,
    byte[] FilterOrder,
    int Delay,
    uint Dispersion,
    long Offset,
    uint SelectDispersion)
{
    public const int Size = 280;
    public const int LegacySize = 240;
    public const int FilterStages = 8;

    public void Write(Span<byte> destination)
    {
        destination[..Size].Clear();
        bool v6 = SourceAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        PeerAddresses.Write(destination, v6, LocalAddress, 0, 248);
        PeerAddresses.Write(destination, v6, SourceAddress, 4, 264);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], SourcePort);
        destination[10] = Flags;
        destination[11] = Leap;
        destination[12] = HostMode;
        destination[13] = PeerMode;
        destination[14] = Stratum;
        destination[15] = (byte)PeerPoll;
        destination[16] = (byte)HostPoll;
        destination[17] = (byte)Precision;
        destination[18] = Version;
        destination[20] = Reach;
        destination[21] = Unreach;
        destination[22] = (byte)Flash;
        BinaryPrimitives.WriteUInt16BigEndian(destination[24..], Flash);
        BinaryPrimitives.WriteUInt16BigEndian(destination[26..], AssociationId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[28..], KeyId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[36..], ReferenceId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[40..], Timer);
        BinaryPrimitives.WriteInt32BigEndian(destination[44..], RootDelay);
        BinaryPrimitives.WriteUInt32BigEndian(destination[48..], RootDispersion);
        BinaryPrimitives.WriteUInt64BigEndian(destination[52..], ReferenceTime);
        BinaryPrimitives.WriteUInt64BigEndian(destination[60..], Origin);
        BinaryPrimitives.WriteUInt64BigEndian(destination[68..], Receive);
        BinaryPrimitives.WriteUInt64BigEndian(destination[76..], Transmit);
        for (int i = 0; i < FilterStages; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(destination[(84 + (4 * i))..], i < FilterDelay.Length ? FilterDelay[i] : 0);
            BinaryPrimitives.WriteInt64BigEndian(destination[(116 + (8 * i))..], i < FilterOffset.Length ? FilterOffset[i] : 0);
            destination[180 + i] = i < FilterOrder.Length ? FilterOrder[i] : (byte)0;
        }

        BinaryPrimitives.WriteInt32BigEndian(destination[188..], Delay);
        BinaryPrimitives.WriteUInt32BigEndian(destination[192..], Dispersion);
        BinaryPrimitives.WriteInt64BigEndian(destination[196..], Offset);
        BinaryPrimitives.WriteUInt32BigEndian(destination[204..], SelectDispersion);
        BinaryPrimitives.WriteUInt32BigEndian(destination[240..], v6 ? 1u : 0u);
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out PeerInfoItem? item)
    {
        item = null;
        if (source.Length < LegacySize)
        {
            return false;
        }

        bool v6 = source.Length >= Size && BinaryPrimitives.ReadUInt32BigEndian(source[240..]) != 0;
        var delays = new int[FilterStages];
        var offsets = new long[FilterStages];
        var order = new byte[FilterStages];
        for (int i = 0; i < FilterStages; i++)
        {
            delays[i] = BinaryPrimitives.ReadInt32BigEndian(source[(84 + (4 * i))..]);
            offsets[i] = BinaryPrimitives.ReadInt64BigEndian(source[(116 + (8 * i))..]);
            order[i] = source[180 + i];
        }

        item = new PeerInfoItem(PeerAddresses.Read(source, v6, 0, 248), PeerAddresses.Read(source, v6, 4, 264),
            BinaryPrimitives.ReadUInt16BigEndian(source[8..]), source[10], source[11], source[12], source[13], source[14],
            (sbyte)source[15], (sbyte)source[16], (sbyte)source[17], source[18], source[20], source[21],
            BinaryPrimitives.ReadUInt16BigEndian(source[24..]), BinaryPrimitives.ReadUInt16BigEndian(source[26..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[28..]), BinaryPrimitives.ReadUInt32BigEndian(source[36..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[40..]), BinaryPrimitives.ReadInt32BigEndian(source[44..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[48..]), BinaryPrimitives.ReadUInt64BigEndian(source[52..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[60..]), BinaryPrimitives.ReadUInt64BigEndian(source[68..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[76..]), delays, offsets, order,
            BinaryPrimitives.ReadInt32BigEndian(source[188..]), BinaryPrimitives.ReadUInt32BigEndian(source[192..]),
            BinaryPrimitives.ReadInt64BigEndian(source[196..]), BinaryPrimitives.ReadUInt32BigEndian(source[204..]));
        return true;
    }
}
