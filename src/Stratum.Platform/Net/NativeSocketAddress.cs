// NativeSocketAddress: a sockaddr_in / sockaddr_in6 held inline (28 bytes), so receiving and
// replying to a datagram never allocates an IPEndPoint. ToClientAddress gives the Engine's value for
// access control without allocating; conversions to IPEndPoint exist for logs and control queries,
// off the packet path.
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Stratum.Engine.Access;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Net;

/// <summary>A socket address in the kernel's byte layout.</summary>
public struct NativeSocketAddress
{
    /// <summary>sizeof(struct sockaddr_in6), the largest address we use.</summary>
    public const int Capacity = 28;

    private AddressBytes _bytes;

    /// <summary>Bytes of the address in use (16 for IPv4, 28 for IPv6).</summary>
    public int Length { get; internal set; }

    [InlineArray(Capacity)]
    internal struct AddressBytes
    {
        private byte _element0;
    }

    [UnscopedRef]
    internal Span<byte> Bytes => _bytes;

    [UnscopedRef]
    internal readonly ReadOnlySpan<byte> ReadOnlyBytes => _bytes;

    public readonly AddressFamily Family => BinaryPrimitives.ReadUInt16LittleEndian(((ReadOnlySpan<byte>)_bytes)) switch
    {
        Libc.AF_INET => AddressFamily.InterNetwork,
        Libc.AF_INET6 => AddressFamily.InterNetworkV6,
        _ => AddressFamily.Unspecified,
    };

    public readonly int Port => BinaryPrimitives.ReadUInt16BigEndian(((ReadOnlySpan<byte>)_bytes)[2..]);

    public static NativeSocketAddress From(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var result = new NativeSocketAddress();
        Span<byte> bytes = result._bytes;
        if (endPoint.AddressFamily == AddressFamily.InterNetwork)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, Libc.AF_INET);
            BinaryPrimitives.WriteUInt16BigEndian(bytes[2..], (ushort)endPoint.Port);
            endPoint.Address.TryWriteBytes(bytes[4..8], out _);
            result.Length = 16;
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, Libc.AF_INET6);
            BinaryPrimitives.WriteUInt16BigEndian(bytes[2..], (ushort)endPoint.Port);
            endPoint.Address.TryWriteBytes(bytes[8..24], out _);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes[24..], (uint)endPoint.Address.ScopeId);
            result.Length = 28;
        }

        return result;
    }

    /// <summary>True when both hold the same address and port (byte for byte), without allocating.</summary>
    public readonly bool SameAs(in NativeSocketAddress other) =>
        Length == other.Length && ((ReadOnlySpan<byte>)_bytes)[..Length].SequenceEqual(((ReadOnlySpan<byte>)other._bytes)[..other.Length]);

    /// <summary>The Engine's view of this address (family, address bits, port), without allocating.</summary>
    public readonly ClientAddress ToClientAddress()
    {
        ReadOnlySpan<byte> bytes = _bytes;
        return Family switch
        {
            AddressFamily.InterNetwork when Length >= 8 => ClientAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(bytes[4..8]), (ushort)Port),
            AddressFamily.InterNetworkV6 when Length >= 24 => ClientAddress.FromIPv6(bytes[8..24], (ushort)Port),
            _ => default,
        };
    }

    public readonly IPEndPoint ToEndPoint()
    {
        ReadOnlySpan<byte> bytes = _bytes;
        return Family switch
        {
            AddressFamily.InterNetwork => new IPEndPoint(new IPAddress(bytes[4..8]), Port),
            AddressFamily.InterNetworkV6 => new IPEndPoint(new IPAddress(bytes[8..24], BinaryPrimitives.ReadUInt32LittleEndian(bytes[24..])), Port),
            _ => new IPEndPoint(IPAddress.None, 0),
        };
    }

    public override readonly string ToString() => ToEndPoint().ToString();
}
