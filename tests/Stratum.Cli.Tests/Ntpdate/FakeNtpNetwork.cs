// FakeNtpNetwork: an INtpTransport over an in-memory network of FakeServers. A request to a server
// is answered with a mode 4 reply timed by the server's path delay and clock offset; waiting for a
// reply advances FakeTime to its arrival, or by the whole timeout when nothing is in flight. Every
// request datagram is kept for the tests to read.
using System.Net;
using Stratum.Client.Transport;
using Stratum.Core.Time;
using Stratum.Core.Wire;

namespace Stratum.Cli.Tests.Ntpdate;

/// <summary>An in-memory network of fake servers; waiting on it advances true time.</summary>
internal sealed class FakeNtpNetwork : INtpTransport
{
    private const long ServerProcessingNanoseconds = 10_000;

    private readonly FakeTime _time;
    private readonly FakeClockDriver _clock;
    private readonly IReadOnlyList<FakeServer> _servers;
    private readonly int _port;
    private readonly List<(long Arrival, byte[] Data, IPEndPoint Source)> _inFlight = [];

    public FakeNtpNetwork(FakeTime time, FakeClockDriver clock, IReadOnlyList<FakeServer> servers, int port)
    {
        _time = time;
        _clock = clock;
        _servers = servers;
        _port = port;
    }

    /// <summary>Requests received per server address, with the true time each arrived.</summary>
    public Dictionary<string, List<long>> Requests { get; } = [];

    /// <summary>The request datagrams received per server address, as sent.</summary>
    public Dictionary<string, List<byte[]>> RequestDatagrams { get; } = [];

    public bool Disposed { get; private set; }

    public TransportError Send(ReadOnlySpan<byte> datagram, IPEndPoint destination)
    {
        FakeServer? server = _servers.FirstOrDefault(s => s.IPAddress.Equals(destination.Address));
        if (server is null || destination.Port != _port)
        {
            return TransportError.None;
        }

        long arrival = _time.TrueNanoseconds + (long)(server.OneWayDelaySeconds * 1e9);
        if (!Requests.TryGetValue(server.Address, out var list))
        {
            Requests[server.Address] = list = [];
        }

        list.Add(arrival);
        if (!RequestDatagrams.TryGetValue(server.Address, out var datagrams))
        {
            RequestDatagrams[server.Address] = datagrams = [];
        }

        datagrams.Add(datagram.ToArray());
        if (server.Silent)
        {
            return TransportError.None;
        }

        if (server.Key is { } key
            && (!NtpPacket.TryRead(datagram, out NtpPacket signed, out _) || !Stratum.Core.Auth.PacketMac.Verify(key, signed)))
        {
            return TransportError.None;
        }

        var request = NtpHeader.Read(datagram);
        long serverClock = arrival + (long)(server.ClockOffsetSeconds * 1e9);
        var receive = NtpTimestamp.FromUnixNanoseconds(serverClock);
        var transmit = NtpTimestamp.FromUnixNanoseconds(serverClock + ServerProcessingNanoseconds);
        var reply = server.Kiss is { } kiss
            ? new NtpHeader(LeapIndicator.Unsynchronized, request.Version, NtpMode.Server, 0, 6, server.Precision, default, default, kiss.Id, default, request.TransmitTime, receive, transmit)
            : new NtpHeader(server.Leap, request.Version, NtpMode.Server, server.Stratum, 6, server.Precision,
                new NtpShort(0x0000_0200), new NtpShort(0x0000_0400), server.ReferenceId,
                NtpTimestamp.FromUnixNanoseconds(serverClock - (64L * 1_000_000_000)), request.TransmitTime, receive, transmit);
        byte[] bytes = new byte[NtpHeader.Size + Stratum.Core.Auth.PacketMac.KeyIdLength + Stratum.Core.Auth.PacketMac.MaxDigestLength];
        int length = reply.Write(bytes);
        if (server.Key is { } replyKey)
        {
            length = Stratum.Core.Auth.PacketMac.Append(replyKey, bytes, length);
        }

        Array.Resize(ref bytes, length);
        _inFlight.Add((arrival + ServerProcessingNanoseconds + (long)(server.OneWayDelaySeconds * 1e9), bytes, new IPEndPoint(server.IPAddress, _port)));
        return TransportError.None;
    }

    public bool TryReceive(Span<byte> buffer, long timeoutNanoseconds, out ReceivedDatagram datagram)
    {
        long deadline = _time.TrueNanoseconds + timeoutNanoseconds;
        int next = -1;
        for (int i = 0; i < _inFlight.Count; i++)
        {
            if (_inFlight[i].Arrival <= deadline && (next < 0 || _inFlight[i].Arrival < _inFlight[next].Arrival))
            {
                next = i;
            }
        }

        if (next < 0)
        {
            _time.TrueNanoseconds = deadline;
            datagram = default;
            return false;
        }

        var (arrival, data, source) = _inFlight[next];
        _inFlight.RemoveAt(next);
        _time.TrueNanoseconds = Math.Max(_time.TrueNanoseconds, arrival);
        data.CopyTo(buffer);
        datagram = new ReceivedDatagram(data.Length, source, _clock.ReadRealtimeNanoseconds());
        return true;
    }

    public void Dispose() => Disposed = true;
}
