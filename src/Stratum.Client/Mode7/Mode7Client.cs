// Mode7Client: sends ntpd mode 7 requests and collects the answer (ntpdc 4.2.8 ntpdc.c
// sendrequest/getresponse). Requests are padded to 184 octets as ntpdc sends them. Response
// fragments are matched on implementation and request code, numbered by their sequence (0..127)
// and complete when every number up to the one without the More bit is present; duplicates are
// ignored, a fragment with another item size is an inconsistency. Each wait is bounded by Timeout.
using System.Net;
using Stratum.Client.Sntp;
using Stratum.Client.Transport;
using Stratum.Core.Mode7;

namespace Stratum.Client.Mode7;

/// <summary>One server's mode 7 conversation over a transport.</summary>
public sealed class Mode7Client
{
    /// <summary>ntpdc MAXSEQ + 1: at most 128 fragments.</summary>
    public const int MaxFragments = 128;

    private const int ReceiveBufferSize = 2048;

    private readonly INtpTransport _transport;
    private readonly SntpClock _clock;
    private readonly IPEndPoint _server;
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferSize];

    public Mode7Client(INtpTransport transport, SntpClock clock, IPEndPoint server)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(server);
        _transport = transport;
        _clock = clock;
        _server = server;
    }

    /// <summary>Wait for each fragment, nanoseconds.</summary>
    public long TimeoutNanoseconds { get; set; } = 5_000_000_000;

    public Mode7Implementation Implementation { get; set; } = Mode7Implementation.Xntpd;

    /// <summary>Sends one request (items of <paramref name="itemSize"/>) and waits for the whole answer.</summary>
    public Mode7Result Query(Mode7RequestCode request, ReadOnlySpan<byte> items = default, int itemCount = 0, int itemSize = 0)
    {
        var datagram = new byte[Mode7Message.RequestLength];
        if (Mode7Message.Write(Mode7Header.ForRequest(Implementation, request, (ushort)itemCount, (ushort)itemSize), items, datagram) == 0)
        {
            return Mode7Result.Failed(Mode7Outcome.Inconsistent);
        }

        TransportError sent = _transport.Send(datagram, _server);
        return sent.IsNone ? Receive(request) : Mode7Result.Failed(Mode7Outcome.Transport, transportMessage: sent.Message);
    }

    private Mode7Result Receive(Mode7RequestCode request)
    {
        var fragments = new byte[]?[MaxFragments];
        int received = 0;
        int last = -1;
        int itemSize = -1;
        long deadline = _clock.ReadMonotonicNanoseconds() + TimeoutNanoseconds;
        while (true)
        {
            long remaining = deadline - _clock.ReadMonotonicNanoseconds();
            if (remaining <= 0 || !_transport.TryReceive(_receiveBuffer, remaining, out ReceivedDatagram datagram))
            {
                return Mode7Result.Failed(received == 0 ? Mode7Outcome.Timeout : Mode7Outcome.Incomplete);
            }

            if (!datagram.Source.Equals(_server)
                || !Mode7Message.TryRead(_receiveBuffer.AsSpan(0, datagram.Length), out Mode7Header header, out ReadOnlySpan<byte> data, out _)
                || !header.IsResponse || header.Request != request || header.Implementation != Implementation)
            {
                continue;
            }

            if (header.Error != Mode7ErrorCode.None)
            {
                return Mode7Result.Failed(Mode7Outcome.ServerError, header.Error);
            }

            if ((itemSize >= 0 && header.ItemCount > 0 && header.ItemSize != itemSize) || (last >= 0 && header.HasMore && header.Sequence > last))
            {
                return Mode7Result.Failed(Mode7Outcome.Inconsistent);
            }

            if (header.ItemCount > 0)
            {
                itemSize = header.ItemSize;
            }

            if (fragments[header.Sequence] is null)
            {
                fragments[header.Sequence] = data.ToArray();
                received++;
            }

            if (!header.HasMore)
            {
                last = header.Sequence;
            }

            if (last >= 0 && received == last + 1 && AllPresent(fragments, last))
            {
                return Assemble(fragments, last, Math.Max(0, itemSize));
            }

            deadline = _clock.ReadMonotonicNanoseconds() + TimeoutNanoseconds;
        }
    }

    private static bool AllPresent(byte[]?[] fragments, int last)
    {
        for (int i = 0; i <= last; i++)
        {
            if (fragments[i] is null)
            {
                return false;
            }
        }

        return true;
    }

    private static Mode7Result Assemble(byte[]?[] fragments, int last, int itemSize)
    {
        var data = new List<byte>();
        for (int i = 0; i <= last; i++)
        {
            data.AddRange(fragments[i]!);
        }

        int count = itemSize == 0 ? 0 : data.Count / itemSize;
        return new Mode7Result(Mode7Outcome.Success, count, itemSize, [.. data]);
    }
}
