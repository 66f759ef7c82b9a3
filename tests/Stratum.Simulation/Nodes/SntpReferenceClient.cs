// SntpReferenceClient: a minimal SNTP-style client that validates the harness, not the discipline:
// every poll interval (64 s by default) on its monotonic clock it sends a mode 3 request to each of
// its servers, checks each reply with the real codec (mode 4, from the server asked, origin = our
// transmit stamp, synchronized) and records offset and delay (RFC 5905 §8). It never adjusts the
// clock itself; an optional callback sees each measurement (the stepping example client uses it).
using System.Net;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;

namespace Stratum.Simulation.Nodes;

/// <summary>Polls servers and measures their offsets.</summary>
public sealed class SntpReferenceClient : ISimulatedClient
{
    private readonly IPEndPoint[] _servers;
    private readonly NtpTimestamp[] _outstandingTransmit;
    private readonly long _pollNanoseconds;
    private readonly Action<SimContext, SntpMeasurement>? _onMeasurement;
    private readonly List<SntpMeasurement> _measurements = [];
    private readonly byte[] _request = new byte[NtpHeader.Size];

    /// <param name="servers">The servers' NTP endpoints.</param>
    /// <param name="pollIntervalSeconds">Seconds between polls on the client's monotonic clock.</param>
    /// <param name="onMeasurement">Called after each valid reply.</param>
    public SntpReferenceClient(IReadOnlyList<IPEndPoint> servers, double pollIntervalSeconds = 64, Action<SimContext, SntpMeasurement>? onMeasurement = null)
    {
        _servers = [.. servers];
        _outstandingTransmit = new NtpTimestamp[_servers.Length];
        _pollNanoseconds = (long)(pollIntervalSeconds * LoopTime.NanosecondsPerSecond);
        _onMeasurement = onMeasurement;
    }

    public SntpReferenceClient(IPEndPoint server, double pollIntervalSeconds = 64, Action<SimContext, SntpMeasurement>? onMeasurement = null)
        : this([server], pollIntervalSeconds, onMeasurement)
    {
    }

    public IReadOnlyList<SntpMeasurement> Measurements => _measurements;

    /// <summary>Replies dropped because they did not answer an outstanding request.</summary>
    public int RejectedReplies { get; private set; }

    public long NextDeadline { get; private set; } = long.MaxValue;

    public void Start(SimContext context) => Poll(context, context.Clock.ReadMonotonicNanoseconds());

    public void OnTimer(SimContext context) => Poll(context, NextDeadline);

    public void OnDatagram(SimContext context, ReadOnlySpan<byte> datagram, IPEndPoint source, IPEndPoint destination, long receiveRealtimeNanoseconds)
    {
        int server = Array.FindIndex(_servers, endpoint => endpoint.Equals(source));
        if (server < 0 || !NtpPacket.TryRead(datagram, out NtpPacket packet, out _))
        {
            RejectedReplies++;
            return;
        }

        NtpHeader header = packet.Header;
        NtpTimestamp expectedOrigin = _outstandingTransmit[server];
        if (header.Mode != NtpMode.Server || expectedOrigin.IsZero || header.OriginTime != expectedOrigin
            || header.Stratum == 0 || header.Leap == LeapIndicator.Unsynchronized)
        {
            RejectedReplies++;
            return;
        }

        _outstandingTransmit[server] = NtpTimestamp.Zero;
        NtpTimestamp t1 = header.OriginTime;
        NtpTimestamp t2 = header.ReceiveTime;
        NtpTimestamp t3 = header.TransmitTime;
        NtpTimestamp t4 = NtpTimestamp.FromUnixNanoseconds(receiveRealtimeNanoseconds);
        double offset = ((t2 - t1).TotalSeconds + (t3 - t4).TotalSeconds) / 2;
        double delay = (t4 - t1).TotalSeconds - (t3 - t2).TotalSeconds;
        var measurement = new SntpMeasurement(server, receiveRealtimeNanoseconds / 1e9, offset, delay);
        _measurements.Add(measurement);
        _onMeasurement?.Invoke(context, measurement);
    }

    private void Poll(SimContext context, long scheduledMono)
    {
        for (int server = 0; server < _servers.Length; server++)
        {
            // A distinct transmit stamp per server, as the origin check needs.
            var transmit = NtpTimestamp.FromUnixNanoseconds(context.Clock.ReadRealtimeNanoseconds());
            _outstandingTransmit[server] = transmit;
            var request = new NtpHeader(
                LeapIndicator.Unsynchronized, 4, NtpMode.Client, 0, 6, -20,
                default, default, ReferenceId.None, NtpTimestamp.Zero, NtpTimestamp.Zero, NtpTimestamp.Zero, transmit);
            request.Write(_request);
            context.Send(_servers[server], _request);
        }

        NextDeadline = scheduledMono + _pollNanoseconds;
    }
}
