// SntpQueryEngine: the sans-IO core of an ntpdate-style query. It holds one SntpServerState per
// server address and decides when to send, what to send and what each received datagram means; the
// caller (SntpQueryRunner, or a test) does the I/O and passes in both clocks.
//
// Schedule, as ntpdate 4.2.8 keeps it per server: the first request goes at once; after a reply the
// next request waits one timeout (so a server sees at most one request per timeout, default 2 s);
// after a timeout the missing reply leaves an empty slot and the next request goes at once. A server
// is done when its sample slots are full or after a Kiss-o'-Death.
//
// Requests (RFC 5905 §7.3, §9 client mode): mode 3, the chosen version, leap 3, stratum 0, poll 2^6,
// precision 2^-6, root delay and dispersion 1 s (ntpdate's values), origin/receive/reference zero.
// Deviation: the transmit timestamp is a random 64-bit cookie instead of the local time (as chrony
// and ntpd-rs do): it does not reveal our clock and an off-path attacker cannot guess it. T1 is
// kept locally; a reply counts only if its origin timestamp equals the cookie (RFC 5905 §8 "bogus").
// A signed request's T1 is the clock reading plus the authentication delay (ntpdate -e), as in
// ntpdate 4.2.8, which adds it to the time it sends and later uses as T1.
using System.Net;
using Stratum.Core.Time;
using Stratum.Core.Wire;

namespace Stratum.Client.Sntp;

/// <summary>Schedules requests and judges replies for an SNTP query of several servers.</summary>
public sealed class SntpQueryEngine
{
    /// <summary>Poll exponent sent in requests (ntpdate's NTP_MINPOLL, 64 s).</summary>
    public const sbyte RequestPoll = 6;

    private readonly SntpServerState[] _servers;
    private readonly SntpQueryOptions _options;

    public SntpQueryEngine(IReadOnlyList<IPEndPoint> servers, SntpQueryOptions options, long startMonotonic)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _servers = new SntpServerState[servers.Count];
        for (int i = 0; i < servers.Count; i++)
        {
            _servers[i] = new SntpServerState(servers[i], startMonotonic);
        }
    }

    public IReadOnlyList<SntpServerState> Servers => _servers;

    public SntpQueryOptions Options => _options;

    /// <summary>True when no server needs another request.</summary>
    public bool IsComplete
    {
        get
        {
            foreach (var server in _servers)
            {
                if (!server.IsComplete)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The earliest monotonic time something is due (a send or a timeout); long.MaxValue when complete.</summary>
    public long NextDeadline
    {
        get
        {
            long deadline = long.MaxValue;
            foreach (var server in _servers)
            {
                if (!server.IsComplete)
                {
                    deadline = Math.Min(deadline, server.NextEventMonotonic);
                }
            }

            return deadline;
        }
    }

    /// <summary>
    /// Settles every server whose timer expired by <paramref name="nowMonotonic"/> (a missing reply
    /// becomes an empty slot; full registers complete) and returns the index of one that needs a
    /// request now, or -1. Call until it returns -1, sending each time.
    /// </summary>
    public int NextTransmit(long nowMonotonic)
    {
        for (int i = 0; i < _servers.Length; i++)
        {
            var server = _servers[i];
            if (server.IsComplete || server.NextEventMonotonic > nowMonotonic)
            {
                continue;
            }

            if (server.AwaitingReply)
            {
                server.RecordSample(null);
            }

            if (server.FilledSlots >= _options.Samples)
            {
                server.Complete();
                continue;
            }

            return i;
        }

        return -1;
    }

    /// <summary>
    /// Writes the request for server <paramref name="serverIndex"/> into <paramref name="destination"/>
    /// (48 bytes) and arms its timeout. <paramref name="cookie"/> becomes the transmit timestamp
    /// (zero is replaced, since a zero origin means "none"); <paramref name="originRealtimeNanoseconds"/>
    /// is our clock as the request leaves; with a key, T1 is that plus the authentication delay.
    /// </summary>
    public NtpHeader PrepareRequest(int serverIndex, ulong cookie, long originRealtimeNanoseconds, long nowMonotonic, Span<byte> destination)
        => PrepareRequestCore(serverIndex, cookie, originRealtimeNanoseconds, nowMonotonic, destination);

    /// <summary>Bytes of each request: the header, plus key id and digest with a key.</summary>
    public int RequestLength => NtpHeader.Size + (_options.Key is { } key ? Stratum.Core.Auth.PacketMac.KeyIdLength + Stratum.Core.Auth.PacketMac.DigestLength(key.Type) : 0);

    private NtpHeader PrepareRequestCore(int serverIndex, ulong cookie, long originRealtimeNanoseconds, long nowMonotonic, Span<byte> destination)
    {
        var server = _servers[serverIndex];
        var transmitCookie = new NtpTimestamp(cookie == 0 ? 1 : cookie);
        var request = new NtpHeader(
            LeapIndicator.Unsynchronized,
            _options.Version,
            NtpMode.Client,
            Stratum: 0,
            Poll: RequestPoll,
            Precision: SampleFilter.NtpdatePrecision,
            RootDelay: new NtpShort(0x0001_0000),
            RootDispersion: new NtpShort(0x0001_0000),
            ReferenceId: ReferenceId.None,
            ReferenceTime: NtpTimestamp.Zero,
            OriginTime: NtpTimestamp.Zero,
            ReceiveTime: NtpTimestamp.Zero,
            TransmitTime: transmitCookie);
        int length = request.Write(destination);
        if (_options.Key is { } key)
        {
            Stratum.Core.Auth.PacketMac.Append(key, destination, length);
        }

        var originTime = NtpTimestamp.FromUnixNanoseconds(originRealtimeNanoseconds);
        if (_options.Key is not null)
        {
            originTime += new NtpDuration(_options.AuthenticationDelayFraction);
        }

        server.RecordTransmit(transmitCookie, originTime);
        server.NextEventMonotonic = nowMonotonic + _options.TimeoutNanoseconds;
        return request;
    }

    /// <summary>
    /// Judges one datagram from <paramref name="source"/> received at <paramref name="receiveRealtimeNanoseconds"/>
    /// (T4). Only a reply that passes every check changes any state.
    /// </summary>
    /// <remarks>RFC 5905 §8 packet tests (bogus origin, unsynchronized, invalid timestamps); §7.4 kiss codes.</remarks>
    public SntpReply OnDatagram(ReadOnlySpan<byte> data, IPEndPoint source, long receiveRealtimeNanoseconds, long nowMonotonic)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!NtpPacket.TryRead(data, out var packet, out var parseError))
        {
            return new SntpReply(SntpReplyStatus.Malformed, -1, default, default, null, null, parseError);
        }

        var header = packet.Header;
        if (header.Mode is not (NtpMode.Server or NtpMode.SymmetricPassive))
        {
            return Drop(SntpReplyStatus.UnexpectedMode, -1, header);
        }

        if (header.Stratum >= 16)
        {
            return Drop(SntpReplyStatus.StratumOutOfRange, -1, header);
        }

        int index = FindServer(source);
        if (index < 0)
        {
            return Drop(SntpReplyStatus.UnknownSource, -1, header);
        }

        var server = _servers[index];
        if (server.IsComplete || server.OutstandingCookie.IsZero || header.OriginTime != server.OutstandingCookie)
        {
            return Drop(SntpReplyStatus.OriginMismatch, index, header);
        }

        if (_options.Key is { } authenticator && !Stratum.Core.Auth.PacketMac.Verify(authenticator, packet))
        {
            // ntpdate -a: an unauthenticated reply is no reply; the request times out and is retried.
            return Drop(SntpReplyStatus.AuthenticationFailed, index, header);
        }

        if (header.Stratum == 0)
        {
            // Kiss-o'-Death (RFC 5905 §7.4): whatever the code, this server gives no time. ntpdate
            // stops only on RATE; we also stop on DENY/RSTR and the rest, as §7.4 asks of a client.
            var kiss = new KissCode(header.ReferenceId);
            server.RecordKiss(kiss, header);
            server.Complete();
            return new SntpReply(SntpReplyStatus.KissOfDeath, index, header, default, null, kiss, PacketError.None);
        }

        server.RecordReplyHeader(header);
        var timestamps = new ExchangeTimestamps(
            server.LastTransmitTime,
            header.ReceiveTime,
            header.TransmitTime,
            NtpTimestamp.FromUnixNanoseconds(receiveRealtimeNanoseconds));
        if (header.ReceiveTime.IsZero || header.TransmitTime < header.ReceiveTime)
        {
            // The server's clock is not usable; as ntpdate does, wait a full timeout before retrying.
            server.NextEventMonotonic = nowMonotonic + _options.TimeoutNanoseconds;
            return new SntpReply(SntpReplyStatus.ServerClockInsane, index, header, timestamps, null, null, PacketError.None);
        }

        var sample = SampleFilter.CreateSample(timestamps, header.Precision);
        server.RecordSample(sample);
        if (server.FilledSlots >= _options.Samples)
        {
            server.Complete();
        }
        else
        {
            server.NextEventMonotonic = nowMonotonic + _options.TimeoutNanoseconds;
        }

        return new SntpReply(SntpReplyStatus.Accepted, index, header, timestamps, sample, null, PacketError.None);
    }

    /// <summary>Filters each server's samples (in server order).</summary>
    public FilterResult[] FilterAll()
    {
        var results = new FilterResult[_servers.Length];
        for (int i = 0; i < _servers.Length; i++)
        {
            results[i] = SampleFilter.Filter(_servers[i].Samples, _options.Samples);
        }

        return results;
    }

    /// <summary>Builds the selection input for every server from its state and filter result.</summary>
    public SelectionCandidate[] CandidatesFrom(IReadOnlyList<FilterResult> filtered)
    {
        ArgumentNullException.ThrowIfNull(filtered);
        var candidates = new SelectionCandidate[_servers.Length];
        for (int i = 0; i < _servers.Length; i++)
        {
            var server = _servers[i];
            var reply = server.LastReply.GetValueOrDefault();
            candidates[i] = new SelectionCandidate(
                server.Stratum,
                reply.Leap,
                reply.Precision,
                filtered[i],
                reply.TransmitTime,
                reply.ReferenceTime);
        }

        return candidates;
    }

    private int FindServer(IPEndPoint source)
    {
        var address = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
        for (int i = 0; i < _servers.Length; i++)
        {
            var endpoint = _servers[i].Endpoint;
            if (endpoint.Port == source.Port && endpoint.Address.Equals(address))
            {
                return i;
            }
        }

        return -1;
    }

    private static SntpReply Drop(SntpReplyStatus status, int index, in NtpHeader header) =>
        new(status, index, header, default, null, null, PacketError.None);
}
