// SystemInfoItem: struct info_sys of ntpd 4.2.8's ntp_request.h, the one item answering
// REQ_SYS_INFO (ntpdc sysinfo). 80 octets; servers without IPv6 support send the first 56
// (v4sizeof, up to v6_flag). Layout (offsets): peer 0, peer_mode 4, leap 5, stratum 6,
// precision 7, rootdelay 8 (s_fp), rootdispersion 12 (u_fp), refid 16, reftime 20 (l_fp),
// poll 28, flags 32, 3 unused, bdelay 36 (s_fp), frequency 40 (s_fp: ntpd puts sys_jitter here),
// authdelay 44 (l_fp), stability 52 (u_fp, ppm), v6_flag 56, unused 60, peer6 64.
using System.Buffers.Binary;
using System.Net;

namespace Stratum.Core.Mode7;

/// <summary>System information as mode 7 carries it (raw fixed-point fields).</summary>
public sealed record SystemInfoItem(
    IPAddress Peer,
    byte PeerMode,
    byte Leap,
    byte Stratum,
    sbyte Precision,
    int RootDelay,
    uint RootDispersion,
    uint ReferenceId,
    ulong ReferenceTime,
    uint Poll,
    byte Flags,
    int BroadcastDelay,
    int Jitter,
    long AuthDelay,
    uint Stability)
{
    public const int Size = 80;
    public const int LegacySize = 56;

    /// <summary>INFO_FLAG_* system flags.</summary>
    public const byte FlagBroadcastClient = 0x01, FlagAuthenticate = 0x02, FlagNtp = 0x04, FlagKernel = 0x08,
        FlagCalibrate = 0x10, FlagPpsSync = 0x20, FlagMonitor = 0x40, FlagStatistics = 0x80;

    public void Write(Span<byte> destination)
    {
        destination[..Size].Clear();
        bool v6 = Peer.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        if (!v6)
        {
            Peer.TryWriteBytes(destination, out _);
        }

        destination[4] = PeerMode;
        destination[5] = Leap;
        destination[6] = Stratum;
        destination[7] = (byte)Precision;
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], RootDelay);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], RootDispersion);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], ReferenceId);
        BinaryPrimitives.WriteUInt64BigEndian(destination[20..], ReferenceTime);
        BinaryPrimitives.WriteUInt32BigEndian(destination[28..], Poll);
        destination[32] = Flags;
        BinaryPrimitives.WriteInt32BigEndian(destination[36..], BroadcastDelay);
        BinaryPrimitives.WriteInt32BigEndian(destination[40..], Jitter);
        BinaryPrimitives.WriteInt64BigEndian(destination[44..], AuthDelay);
        BinaryPrimitives.WriteUInt32BigEndian(destination[52..], Stability);
        BinaryPrimitives.WriteUInt32BigEndian(destination[56..], v6 ? 1u : 0u);
        if (v6)
        {
            Peer.TryWriteBytes(destination[64..], out _);
        }
    }

    /// <summary>Reads an item of <see cref="Size"/> or <see cref="LegacySize"/> octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out SystemInfoItem? item)
    {
        item = null;
        if (source.Length < LegacySize)
        {
            return false;
        }

        bool v6 = source.Length >= Size && BinaryPrimitives.ReadUInt32BigEndian(source[56..]) != 0;
        IPAddress peer = v6 ? new IPAddress(source.Slice(64, 16)) : new IPAddress(source[..4]);
        item = new SystemInfoItem(peer, source[4], source[5], source[6], (sbyte)source[7],
            BinaryPrimitives.ReadInt32BigEndian(source[8..]), BinaryPrimitives.ReadUInt32BigEndian(source[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[16..]), BinaryPrimitives.ReadUInt64BigEndian(source[20..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[28..]), source[32], BinaryPrimitives.ReadInt32BigEndian(source[36..]),
            BinaryPrimitives.ReadInt32BigEndian(source[40..]), BinaryPrimitives.ReadInt64BigEndian(source[44..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[52..]));
        return true;
    }
}
