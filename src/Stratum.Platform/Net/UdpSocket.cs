// UdpSocket: one bound UDP socket of the daemon, driven by P/Invoke (ARCHITECTURE.md §4). It asks
// the kernel for software receive timestamps (SO_TIMESTAMPING RX_SOFTWARE, else SO_TIMESTAMPNS), lets
// single replies ask for their transmit stamp (OPT_ID|OPT_TSONLY, read by TransmitStampQueue), and
// parses the control messages of every recvmsg in one place into the datagram's kernel timestamp;
// a datagram without one is normal and the caller reads the clock instead. Buffers for the message
// header, address and control data are allocated once, natively, so receiving allocates nothing.
// The file descriptor is closed on the loop thread by Dispose, never by a finalizer.
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Net;

/// <summary>How the kernel stamps received datagrams on this socket.</summary>
public enum ReceiveTimestampMode
{
    None,
    TimestampNs,
    Timestamping,
}

/// <summary>A non-blocking UDP socket with kernel receive timestamps.</summary>
public sealed unsafe class UdpSocket : IDisposable
{
    private const int ControlBufferSize = 256;

    /// <summary>Receive buffer asked for (SO_RCVBUFFORCE as root, else SO_RCVBUF up to rmem_max): a few
    /// thousand datagrams, so a flood arriving while the loop is not scheduled for some milliseconds
    /// fills this buffer rather than dropping a legitimate client's request. Kernel memory, used only
    /// while datagrams wait.</summary>
    private const int ReceiveBufferBytes = 4 << 20;

    private readonly MessageHeader* _header;
    private readonly IoVector* _iov;
    private readonly byte* _control;
    private readonly byte* _address;
    private int _fd;

    private UdpSocket(int fd, IPEndPoint localEndPoint, ReceiveTimestampMode timestampMode)
    {
        _fd = fd;
        LocalEndPoint = localEndPoint;
        TimestampMode = timestampMode;
        _header = (MessageHeader*)NativeMemory.AllocZeroed((nuint)sizeof(MessageHeader));
        _iov = (IoVector*)NativeMemory.AllocZeroed((nuint)sizeof(IoVector));
        _control = (byte*)NativeMemory.AllocZeroed(ControlBufferSize);
        _address = (byte*)NativeMemory.AllocZeroed(NativeSocketAddress.Capacity);
    }

    public int FileDescriptor => _fd;

    public IPEndPoint LocalEndPoint { get; }

    public ReceiveTimestampMode TimestampMode { get; }

    /// <summary>Kernel transmit stamps of replies that ask for one (interleaved clients), or null when the
    /// kernel cannot number them (SO_TIMESTAMPING OPT_ID).</summary>
    public TransmitStampQueue? TransmitStamps { get; private init; }

    /// <summary>Creates, configures and binds a socket; on failure returns null and a message
    /// naming the action, the address, the OS error and a hint.</summary>
    public static UdpSocket? TryBind(IPEndPoint endPoint, bool reuseAddress, out string? error) =>
        TryBind(endPoint, reuseAddress, reusePort: false, out error);

    /// <summary>As <see cref="TryBind(IPEndPoint, bool, out string?)"/>; with <paramref name="reusePort"/>
    /// the socket joins the endpoint's SO_REUSEPORT group (every member must ask for it before bind),
    /// among which the kernel spreads incoming datagrams (ntpd --server-threads).</summary>
    public static UdpSocket? TryBind(IPEndPoint endPoint, bool reuseAddress, bool reusePort, out string? error)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        bool v6 = endPoint.AddressFamily == AddressFamily.InterNetworkV6;
        int fd = SocketCalls.Socket(v6 ? Libc.AF_INET6 : Libc.AF_INET, Libc.SOCK_DGRAM, Libc.IPPROTO_UDP);
        if (fd < 0)
        {
            error = $"cannot create UDP socket for {Format(endPoint)}: {Libc.ErrorText(Libc.LastError)}";
            return null;
        }

        int flags = SocketCalls.Fcntl(fd, Libc.F_GETFL, 0);
        if (flags < 0 || SocketCalls.Fcntl(fd, Libc.F_SETFL, flags | Libc.O_NONBLOCK) < 0 || SocketCalls.Fcntl(fd, Libc.F_SETFD, Libc.FD_CLOEXEC) < 0)
        {
            error = $"cannot make socket for {Format(endPoint)} non-blocking: {Libc.ErrorText(Libc.LastError)}";
            _ = SocketCalls.Close(fd);
            return null;
        }

        if (reuseAddress)
        {
            _ = SocketCalls.SetIntOption(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
        }

        if (SocketCalls.SetIntOption(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, ReceiveBufferBytes) < 0)
        {
            _ = SocketCalls.SetIntOption(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, ReceiveBufferBytes);
        }

        if (reusePort && SocketCalls.SetIntOption(fd, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, 1) < 0)
        {
            error = $"cannot set SO_REUSEPORT on the socket for {Format(endPoint)}: {Libc.ErrorText(Libc.LastError)}";
            _ = SocketCalls.Close(fd);
            return null;
        }

        if (v6)
        {
            _ = SocketCalls.SetIntOption(fd, Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, 1);
        }

        ReceiveTimestampMode mode = ReceiveTimestampMode.None;
        bool transmitStamps = false;
        const int receiveStamps = Libc.SOF_TIMESTAMPING_RX_SOFTWARE | Libc.SOF_TIMESTAMPING_SOFTWARE;
        if (SocketCalls.SetIntOption(fd, Libc.SOL_SOCKET, Libc.SO_TIMESTAMPING,
                receiveStamps | Libc.SOF_TIMESTAMPING_OPT_ID | Libc.SOF_TIMESTAMPING_OPT_TSONLY) == 0)
        {
            mode = ReceiveTimestampMode.Timestamping;
            transmitStamps = true;
        }
        else if (SocketCalls.SetIntOption(fd, Libc.SOL_SOCKET, Libc.SO_TIMESTAMPING, receiveStamps) == 0)
        {
            mode = ReceiveTimestampMode.Timestamping;
        }
        else if (SocketCalls.SetIntOption(fd, Libc.SOL_SOCKET, Libc.SO_TIMESTAMPNS, 1) == 0)
        {
            mode = ReceiveTimestampMode.TimestampNs;
        }

        NativeSocketAddress address = NativeSocketAddress.From(endPoint);
        fixed (byte* addressBytes = address.Bytes)
        {
            if (SocketCalls.Bind(fd, addressBytes, (uint)address.Length) < 0)
            {
                int errno = Libc.LastError;
                error = $"cannot bind {Format(endPoint)}: {Libc.ErrorText(errno)}{BindHint(errno, endPoint)}";
                _ = SocketCalls.Close(fd);
                return null;
            }
        }

        IPEndPoint bound = endPoint;
        var local = new NativeSocketAddress();
        uint length = NativeSocketAddress.Capacity;
        fixed (byte* localBytes = local.Bytes)
        {
            if (SocketCalls.GetSockName(fd, localBytes, &length) == 0)
            {
                local.Length = (int)length;
                bound = local.ToEndPoint();
            }
        }

        error = null;
        return new UdpSocket(fd, bound, mode) { TransmitStamps = transmitStamps ? new TransmitStampQueue(fd) : null };
    }

    /// <summary>Receives one datagram without blocking. Returns false when none is waiting (EAGAIN,
    /// <paramref name="errno"/> 0) or on failure (errno set). <paramref name="kernelRealtime"/> is
    /// the kernel's CLOCK_REALTIME stamp in Unix ns, or 0 when the kernel gave none. A datagram longer
    /// than the buffer is reported with the buffer's length plus one, so callers see it as too long.</summary>
    public bool TryReceive(Span<byte> buffer, ref NativeSocketAddress source, out int length, out long kernelRealtime, out int errno)
    {
        kernelRealtime = 0;
        length = 0;
        errno = 0;
        fixed (byte* data = buffer)
        {
            _iov->Base = data;
            _iov->Length = (nuint)buffer.Length;
            _header->Name = _address;
            _header->NameLength = NativeSocketAddress.Capacity;
            _header->Iov = _iov;
            _header->IovLength = 1;
            _header->Control = _control;
            _header->ControlLength = ControlBufferSize;
            _header->Flags = 0;
            nint received = MessageCalls.RecvMsg(_fd, _header, Libc.MSG_DONTWAIT);
            if (received < 0)
            {
                int error = Libc.LastError;
                errno = error == Libc.EAGAIN ? 0 : error;
                return false;
            }

            int nameLength = (int)Math.Min(_header->NameLength, NativeSocketAddress.Capacity);
            new ReadOnlySpan<byte>(_address, nameLength).CopyTo(source.Bytes);
            source.Length = nameLength;
            kernelRealtime = ReceiveTimestampParser.Find(_control, _header->ControlLength);
            length = (_header->Flags & Libc.MSG_TRUNC) != 0 ? buffer.Length + 1 : (int)received;
            return true;
        }
    }

    /// <summary>Sends one datagram asking the kernel for its transmit stamp (read back with
    /// <see cref="TransmitStampQueue.TryTakeLatest"/>); a plain send when the socket cannot. Returns 0 or an errno.</summary>
    public int SendAskingTransmitStamp(ReadOnlySpan<byte> data, ref NativeSocketAddress destination)
    {
        if (TransmitStamps is null)
        {
            return Send(data, ref destination);
        }

        byte* control = stackalloc byte[TransmitStampQueue.RequestControlSize];
        TransmitStampQueue.WriteRequest(control);
        fixed (byte* bytes = data)
        fixed (byte* address = destination.Bytes)
        {
            var iov = new IoVector { Base = bytes, Length = (nuint)data.Length };
            var header = new MessageHeader
            {
                Name = address,
                NameLength = (uint)destination.Length,
                Iov = &iov,
                IovLength = 1,
                Control = control,
                ControlLength = TransmitStampQueue.RequestControlSize,
            };
            nint sent = MessageCalls.SendMsg(_fd, &header, 0);
            return sent < 0 ? Libc.LastError : 0;
        }
    }

    /// <summary>Sends one datagram; returns 0 or an errno.</summary>
    public int Send(ReadOnlySpan<byte> data, ref NativeSocketAddress destination)
    {
        fixed (byte* bytes = data)
        fixed (byte* address = destination.Bytes)
        {
            nint sent = MessageCalls.SendTo(_fd, bytes, (nuint)data.Length, 0, address, (uint)destination.Length);
            return sent < 0 ? Libc.LastError : 0;
        }
    }

    /// <summary>Lets the socket send to broadcast addresses (SO_BROADCAST); false when the kernel refuses.</summary>
    public bool EnableBroadcast() => SocketCalls.SetIntOption(_fd, Libc.SOL_SOCKET, Libc.SO_BROADCAST, 1) == 0;

    /// <summary>Sets the time-to-live (IPv4) or hop limit (IPv6) of the multicast datagrams it sends.</summary>
    public bool SetMulticastTtl(int ttl) => LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6
        ? SocketCalls.SetIntOption(_fd, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_HOPS, ttl) == 0
        : SocketCalls.SetIntOption(_fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_TTL, ttl) == 0;

    /// <summary>Sends multicast datagrams out of interface <paramref name="interfaceIndex"/> (IP_MULTICAST_IF with an
    /// ip_mreqn, IPV6_MULTICAST_IF).</summary>
    public bool SetMulticastInterface(int interfaceIndex)
    {
        if (LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return SocketCalls.SetIntOption(_fd, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_IF, interfaceIndex) == 0;
        }

        MulticastRequest request = default;
        request.InterfaceIndex = interfaceIndex;
        return SocketCalls.SetSockOpt(_fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_IF, &request, (uint)sizeof(MulticastRequest)) == 0;
    }

    /// <summary>Joins multicast group <paramref name="group"/> on interface <paramref name="interfaceIndex"/> (0: the
    /// kernel's choice); returns 0 or the errno.</summary>
    public int JoinGroup(IPAddress group, int interfaceIndex)
    {
        ArgumentNullException.ThrowIfNull(group);
        int result;
        if (group.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Ipv6MulticastRequest request = default;
            group.TryWriteBytes(new Span<byte>(request.Group, 16), out _);
            request.InterfaceIndex = interfaceIndex;
            result = SocketCalls.SetSockOpt(_fd, Libc.IPPROTO_IPV6, Libc.IPV6_ADD_MEMBERSHIP, &request, (uint)sizeof(Ipv6MulticastRequest));
        }
        else
        {
            MulticastRequest request = default;
            group.TryWriteBytes(new Span<byte>(&request.Group, 4), out _);
            request.InterfaceIndex = interfaceIndex;
            result = SocketCalls.SetSockOpt(_fd, Libc.IPPROTO_IP, Libc.IP_ADD_MEMBERSHIP, &request, (uint)sizeof(MulticastRequest));
        }

        return result == 0 ? 0 : Libc.LastError;
    }

    /// <summary>Receives only the multicast groups this socket joined itself (IP_MULTICAST_ALL off), not every
    /// group some socket of the host joined: a wildcard server socket then leaves group traffic to the group sockets.</summary>
    public void ReceiveOnlyOwnGroups() => _ = LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6
        ? SocketCalls.SetIntOption(_fd, Libc.IPPROTO_IPV6, Libc.IPV6_MULTICAST_ALL, 0)
        : SocketCalls.SetIntOption(_fd, Libc.IPPROTO_IP, Libc.IP_MULTICAST_ALL, 0);

    // struct ip_mreqn: group, local address (0: any), interface index.
    [StructLayout(LayoutKind.Sequential)]
    private struct MulticastRequest
    {
        public uint Group;
        public uint Address;
        public int InterfaceIndex;
    }

    // struct ipv6_mreq: group, interface index.
    [StructLayout(LayoutKind.Sequential)]
    private struct Ipv6MulticastRequest
    {
        public fixed byte Group[16];
        public int InterfaceIndex;
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = SocketCalls.Close(_fd);
            _fd = -1;
            NativeMemory.Free(_header);
            NativeMemory.Free(_iov);
            NativeMemory.Free(_control);
            NativeMemory.Free(_address);
            TransmitStamps?.Dispose();
        }
    }

    private static string Format(IPEndPoint endPoint) =>
        endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : $"{endPoint.Address}:{endPoint.Port}";

    private static string BindHint(int errno, IPEndPoint endPoint) => errno switch
    {
        Libc.EACCES when endPoint.Port < 1024 => " (needs root or CAP_NET_BIND_SERVICE)",
        Libc.EADDRINUSE => " (another NTP server is running on this address?)",
        99 => " (the address is not on any interface)",
        _ => string.Empty,
    };
}
