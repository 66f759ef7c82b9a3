// PeerAddresses: the v4-or-v6 address pairs of mode 7 items (ntp_request.h): an IPv4 address sits
// in a 4-octet field near the start, an IPv6 one in a 16-octet field at the end, and v6_flag says
// which is meaningful. Shared by the item codecs.
using System.Net;

namespace Stratum.Core.Mode7;

internal static class PeerAddresses
{
    public static void Write(Span<byte> item, bool v6, IPAddress address, int v4Offset, int v6Offset)
    {
        if (v6)
        {
            if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                address.TryWriteBytes(item[v6Offset..], out _);
            }
        }
        else if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(item[v4Offset..], out _);
        }
    }

    public static IPAddress Read(ReadOnlySpan<byte> item, bool v6, int v4Offset, int v6Offset) =>
        v6 ? new IPAddress(item.Slice(v6Offset, 16)) : new IPAddress(item.Slice(v4Offset, 4));
}
