// The interop tests' own minimal SNTP client (RFC 4330 / RFC 5905 mode 3): one 48-byte request
// from 127.0.0.1, the reply matched by its origin timestamp, decoded into NtpReply. Used to wait
// until a daemon answers (bounded: at most 10 s by default) and to query it directly. Timestamps
// T1 and T4 come from DateTime.UtcNow (the real clock, microsecond resolution), so offsets measured
// here carry a few microseconds of noise. Loopback only: it refuses any address outside 127.0.0.0/8.
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Stratum.Interop.Tests.Harness;

public static class NtpProbe
{
    public const int NtpPort = 123;
    private const int HeaderLength = 48;
    private const long UnixEpochInNtpSeconds = 2_208_988_800;
    private const int MaxAttempts = 200;

    /// <summary>One query; null if nothing matching arrived within TIMEOUT.</summary>
    public static async Task<NtpReply?> QueryAsync(IPAddress server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        RequireLoopback(server);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Connect(new IPEndPoint(server, NtpPort));

        var request = new byte[HeaderLength];
        request[0] = (0 << 6) | (4 << 3) | 3; // LI 0, version 4, mode 3 (client)
        var originTime = Now();
        BinaryPrimitives.WriteUInt64BigEndian(request.AsSpan(40), originTime);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var buffer = new byte[1024];
        try
        {
            await socket.SendAsync(request, SocketFlags.None, limit.Token);
            for (var datagram = 0; datagram < 16; datagram++)
            {
                var length = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token);
                var destinationTime = Now();
                var reply = Decode(buffer.AsSpan(0, length), destinationTime);
                if (reply is not null && reply.OriginTime == originTime)
                {
                    return reply;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // No answer within the timeout.
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionRefused)
        {
            // ICMP port unreachable: nobody listens there (yet).
        }

        return null;
    }

    /// <summary>
    /// SAMPLES queries in a row; returns the reply with the smallest delay (RFC 5905 §10: the clock
    /// filter trusts the lowest-delay sample), or null if none came back. A single query can be
    /// late by a scheduler tick or a first-call JIT between T1 and the send.
    /// </summary>
    public static async Task<NtpReply?> QueryBestAsync(IPAddress server, int samples, CancellationToken cancellationToken)
    {
        NtpReply? best = null;
        for (var sample = 0; sample < Math.Clamp(samples, 1, 16); sample++)
        {
            var reply = await QueryAsync(server, TimeSpan.FromSeconds(1), cancellationToken);
            if (reply is not null && (best is null || reply.Delay < best.Delay))
            {
                best = reply;
            }
        }

        return best;
    }

    /// <summary>
    /// Queries every 100 ms until a reply satisfies ACCEPT or WITHIN has passed (at most 200 tries).
    /// Returns the accepted reply, or the last reply seen (possibly null) with Accepted false.
    /// </summary>
    public static async Task<(NtpReply? Reply, bool Accepted, TimeSpan Elapsed)> WaitForReplyAsync(
        IPAddress server, Func<NtpReply, bool> accept, TimeSpan within, CancellationToken cancellationToken,
        Func<bool>? giveUp = null)
    {
        var clock = Stopwatch.StartNew();
        NtpReply? last = null;
        for (var attempt = 0; attempt < MaxAttempts && clock.Elapsed < within; attempt++)
        {
            var reply = await QueryAsync(server, TimeSpan.FromMilliseconds(300), cancellationToken);
            if (reply is not null)
            {
                last = reply;
                if (accept(reply))
                {
                    return (reply, true, clock.Elapsed);
                }
            }

            if (giveUp?.Invoke() == true)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        return (last, false, clock.Elapsed);
    }

    /// <summary>Decodes a mode-4 (server) reply; null if it is shorter than a header or not mode 4.</summary>
    public static NtpReply? Decode(ReadOnlySpan<byte> datagram, ulong destinationTime)
    {
        if (datagram.Length < HeaderLength)
        {
            return null;
        }

        var mode = datagram[0] & 0x7;
        if (mode != 4)
        {
            return null;
        }

        return new NtpReply(
            LeapIndicator: datagram[0] >> 6,
            Version: (datagram[0] >> 3) & 0x7,
            Mode: mode,
            Stratum: datagram[1],
            Poll: (sbyte)datagram[2],
            Precision: (sbyte)datagram[3],
            RootDelay: BinaryPrimitives.ReadInt32BigEndian(datagram[4..]) / 65536.0,
            RootDispersion: BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]) / 65536.0,
            ReferenceId: BinaryPrimitives.ReadUInt32BigEndian(datagram[12..]),
            ReferenceTime: BinaryPrimitives.ReadUInt64BigEndian(datagram[16..]),
            OriginTime: BinaryPrimitives.ReadUInt64BigEndian(datagram[24..]),
            ReceiveTime: BinaryPrimitives.ReadUInt64BigEndian(datagram[32..]),
            TransmitTime: BinaryPrimitives.ReadUInt64BigEndian(datagram[40..]),
            DestinationTime: destinationTime,
            Length: datagram.Length);
    }

    /// <summary>The real clock as a 32.32 NTP timestamp (era 0 wraps in 2036; differences stay right).</summary>
    public static ulong Now() => ToNtp(DateTime.UtcNow);

    public static ulong ToNtp(DateTime utc)
    {
        var ticks = utc.Ticks - DateTime.UnixEpoch.Ticks; // 100 ns units since 1970
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder);
        var fraction = (ulong)((UInt128)(ulong)remainder * (1UL << 32) / TimeSpan.TicksPerSecond);
        return unchecked(((ulong)(seconds + UnixEpochInNtpSeconds) << 32) | fraction);
    }

    private static void RequireLoopback(IPAddress server)
    {
        if (!IPAddress.IsLoopback(server) || server.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"interop tests address only 127.0.0.0/8, not {server}", nameof(server));
        }
    }
}
