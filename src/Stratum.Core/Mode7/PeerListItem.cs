// PeerListItem: struct info_peer_list of ntpd 4.2.8's ntp_request.h: one association in the
// answer to REQ_PEER_LIST (ntpdc listpeers), and the selector a REQ_PEER_INFO request (ntpdc
// showpeer) carries. 32 octets (v4sizeof 8): addr 0, port 4, hmode 6, flags 7, v6_flag 8,
// unused 12, addr6 16.
using System.Buffers.Binary;
using System.Net;

namespace Stratum.Core.Mode7;

/// <summary>An association address, port and mode.</summary>
public sealed record PeerListItem(IPAddress Address, ushort Port, byte HostMode, byte Flags)
{
    public const int Size = 32;
    public const int LegacySize = 8;

    public void Write(Span<byte> destination)
    {
        destination[..Size].Clear();
        bool v6 = Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        PeerAddresses.Write(destination, v6, Address, 0, 16);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], Port);
        destination[6] = HostMode;
        destination[7] = Flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], v6 ? 1u : 0u);
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out PeerListItem? item)
    {
        item = null;
        if (source.Length < LegacySize)
        {
            return false;
        }

        bool v6 = source.Length >= Size && BinaryPrimitives.ReadUInt32BigEndian(source[8..]) != 0;
        item = new PeerListItem(PeerAddresses.Read(source, v6, 0, 16), BinaryPrimitives.ReadUInt16BigEndian(source[4..]), source[6], source[7]);
        return true;
    }
}
