// ClientAddress: the source of a datagram as the Engine sees it — family, address and UDP port in
// one small value, so access control and the MRU list work on the packet path without
// allocating an IPAddress or IPEndPoint. An IPv4 address is held in the low 32 bits of the
// 128-bit value (host byte order: 192.0.2.1 is 0xC0000201), an IPv6 address in all 128 bits
// (the first byte on the wire is the most significant). The host converts its socket address to
// this type (Platform's NativeSocketAddress.ToClientAddress); conversions from and to IPAddress
// are for configuration, tests and display, off the packet path. The IPv6 scope id is not kept:
// restrict rules and the MRU list key on the address alone, as ntpd does.
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Stratum.Engine.Access;

/// <summary>A datagram's source address and port, by value (32 bytes: auto layout packs the family
/// and port beside the 16-byte-aligned address).</summary>
[StructLayout(LayoutKind.Auto)]
/// <param name="Family">IPv4, IPv6 or None.</param>
/// <param name="Value">The address bits (IPv4 in the low 32 bits).</param>
/// <param name="Port">The UDP source port.</param>
public readonly record struct ClientAddress(ClientAddressFamily Family, UInt128 Value, ushort Port)
{
    /// <summary>The NTP port: `ntpport` rules and ntpd's interface entries match only this source port.</summary>
    public const ushort NtpPort = 123;

    /// <summary>An IPv4 source; <paramref name="address"/> in host byte order (192.0.2.1 is 0xC0000201).</summary>
    public static ClientAddress FromIPv4(uint address, ushort port) => new(ClientAddressFamily.IPv4, address, port);

    /// <summary>An IPv6 source from its 16 bytes in network order.</summary>
    public static ClientAddress FromIPv6(ReadOnlySpan<byte> address, ushort port) =>
        new(ClientAddressFamily.IPv6, BinaryPrimitives.ReadUInt128BigEndian(address[..16]), port);

    /// <summary>Converts an <see cref="IPAddress"/> (off the packet path).</summary>
    public static ClientAddress From(IPAddress address, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int written))
        {
            return default;
        }

        return address.AddressFamily == AddressFamily.InterNetwork
            ? FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(bytes[..written]), (ushort)port)
            : FromIPv6(bytes, (ushort)port);
    }

    /// <summary>Bits in an address of this family: 32, 128, or 0 for None.</summary>
    public int Width => Family switch
    {
        ClientAddressFamily.IPv4 => 32,
        ClientAddressFamily.IPv6 => 128,
        _ => 0,
    };

    /// <summary>224.0.0.0/4 or ff00::/8: ntpd ignores every packet from a multicast source.</summary>
    public bool IsMulticast => Family switch
    {
        ClientAddressFamily.IPv4 => (Value & 0xF000_0000u) == 0xE000_0000u,
        ClientAddressFamily.IPv6 => (byte)(Value >> 120) == 0xFF,
        _ => false,
    };

    /// <summary>True when both are the same host (family and address), whatever the ports.</summary>
    public bool SameHost(in ClientAddress other) => Family == other.Family && Value == other.Value;

    /// <summary>The same host with another port.</summary>
    public ClientAddress WithPort(ushort port) => new(Family, Value, port);

    /// <summary>The address as an <see cref="IPAddress"/> (allocates; for display and configuration).</summary>
    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, Value);
        return Family switch
        {
            ClientAddressFamily.IPv4 => new IPAddress(bytes[12..]),
            ClientAddressFamily.IPv6 => new IPAddress(bytes),
            _ => IPAddress.None,
        };
    }

    /// <summary>"192.0.2.1:123" or "[2001:db8::1]:123".</summary>
    public override string ToString() => Family switch
    {
        ClientAddressFamily.IPv4 => $"{ToIPAddress()}:{Port}",
        ClientAddressFamily.IPv6 => $"[{ToIPAddress()}]:{Port}",
        _ => "(none)",
    };
}
