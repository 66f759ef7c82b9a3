// UdpNtpTransport: INtpTransport over System.Net.Sockets UDP, one socket per address family (IPv6
// with IPV6_V6ONLY, as ntpdate 4.2.8 opens them). Source port: 123 when the request asks for it
// (ntpdate setting the clock without -u), else 0 so the kernel picks an unprivileged port.
//
// Receive timestamps are a clock read right after the receive call returns; kernel timestamps
// (SO_TIMESTAMPNS) need P/Invoke, which belongs to Platform, and a tool's one-shot measurement does
// not need them. Sockets are blocking and waited on with Socket.Select under the caller's timeout.
//
// Deviation: ntpdate sets SO_REUSEADDR before binding port 123; we do not, so a daemon that holds
// the port is always reported ("the NTP socket is in use") instead of two processes sharing it and
// each receiving the other's replies.
using System.Net;
using System.Net.Sockets;
using Stratum.Client.Sntp;

namespace Stratum.Client.Transport;

/// <summary>Real UDP sockets for SNTP queries.</summary>
public sealed class UdpNtpTransport : INtpTransport
{
    /// <summary>The well-known NTP port (RFC 5905 §7.1).</summary>
    public const int NtpPort = 123;

    private readonly Socket? _ipv4;
    private readonly Socket? _ipv6;
    private readonly SntpClock _clock;
    private readonly List<Socket> _readable = new(2);

    private UdpNtpTransport(Socket? ipv4, Socket? ipv6, SntpClock clock)
    {
        _ipv4 = ipv4;
        _ipv6 = ipv6;
        _clock = clock;
    }

    /// <summary>
    /// Opens the sockets the request allows. A family the host lacks (no IPv6) is skipped; a bind
    /// failure on port 123 is returned as <see cref="TransportErrorKind.AddressInUse"/> or
    /// <see cref="TransportErrorKind.PermissionDenied"/>.
    /// </summary>
    public static TransportOpenResult Open(TransportOpenRequest request, SntpClock clock)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(clock);
        int port = request.BindNtpPort ? NtpPort : 0;
        Socket? ipv4 = null;
        Socket? ipv6 = null;
        TransportError error = TransportError.None;
        if (request.AllowIPv4)
        {
            (ipv4, error) = OpenSocket(AddressFamily.InterNetwork, port);
        }

        if (error.IsNone && request.AllowIPv6)
        {
            (ipv6, error) = OpenSocket(AddressFamily.InterNetworkV6, port);
        }

        if (!error.IsNone)
        {
            ipv4?.Dispose();
            ipv6?.Dispose();
            return TransportOpenResult.Failed(error);
        }

        if (ipv4 is null && ipv6 is null)
        {
            return TransportOpenResult.Failed(new TransportError(TransportErrorKind.AddressFamilyUnavailable, "Address family not supported by protocol"));
        }

        return TransportOpenResult.Opened(new UdpNtpTransport(ipv4, ipv6, clock));
    }

    public TransportError Send(ReadOnlySpan<byte> datagram, IPEndPoint destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Socket? socket = destination.AddressFamily == AddressFamily.InterNetworkV6 ? _ipv6 : _ipv4;
        if (socket is null)
        {
            return new TransportError(TransportErrorKind.AddressFamilyUnavailable, "cannot find family compatible socket to send ntp packet");
        }

        try
        {
            socket.SendTo(datagram, SocketFlags.None, destination);
            return TransportError.None;
        }
        catch (SocketException exception)
        {
            return FromException(exception);
        }
    }

    public bool TryReceive(Span<byte> buffer, long timeoutNanoseconds, out ReceivedDatagram datagram)
    {
        long deadline = _clock.ReadMonotonicNanoseconds() + Math.Max(0, timeoutNanoseconds);
        while (true)
        {
            long remaining = deadline - _clock.ReadMonotonicNanoseconds();
            if (remaining < 0)
            {
                datagram = default;
                return false;
            }

            _readable.Clear();
            if (_ipv4 is not null)
            {
                _readable.Add(_ipv4);
            }

            if (_ipv6 is not null)
            {
                _readable.Add(_ipv6);
            }

            // Socket.Select takes microseconds; round up so a short remaining wait is not a busy loop.
            int microseconds = (int)Math.Min(int.MaxValue, (remaining + 999) / 1000);
            Socket.Select(_readable, null, null, microseconds);
            if (_readable.Count == 0)
            {
                continue;
            }

            Socket ready = _readable[0];
            EndPoint source = ready.AddressFamily == AddressFamily.InterNetworkV6
                ? new IPEndPoint(IPAddress.IPv6Any, 0)
                : new IPEndPoint(IPAddress.Any, 0);
            int length;
            try
            {
                length = ready.ReceiveFrom(buffer, SocketFlags.None, ref source);
            }
            catch (SocketException)
            {
                // An ICMP error or a truncated datagram: nothing usable, keep waiting.
                continue;
            }

            long receiveTime = _clock.ReadRealtimeNanoseconds();
            datagram = new ReceivedDatagram(length, (IPEndPoint)source, receiveTime);
            return true;
        }
    }

    public void Dispose()
    {
        _ipv4?.Dispose();
        _ipv6?.Dispose();
    }

    private static (Socket? Socket, TransportError Error) OpenSocket(AddressFamily family, int port)
    {
        Socket socket;
        try
        {
            socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        }
        catch (SocketException exception) when (exception.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.ProtocolNotSupported)
        {
            return (null, TransportError.None);
        }

        try
        {
            if (family == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, port));
            return (socket, TransportError.None);
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            if (family == AddressFamily.InterNetworkV6 && exception.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                // IPv6 disabled on this host: run with IPv4 only, as ntpdate does.
                return (null, TransportError.None);
            }

            return (null, FromException(exception));
        }
    }

    private static TransportError FromException(SocketException exception)
    {
        var kind = exception.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse => TransportErrorKind.AddressInUse,
            SocketError.AccessDenied => TransportErrorKind.PermissionDenied,
            SocketError.AddressFamilyNotSupported => TransportErrorKind.AddressFamilyUnavailable,
            _ => TransportErrorKind.Other,
        };
        return new TransportError(kind, exception.Message);
    }
}
