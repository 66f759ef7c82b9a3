// Mode7Client: sends ntpd mode 7 requests and collects the answer (ntpdc 4.2.8 ntpdc.c
// sendrequest/getresponse). Requests are padded to 184 octets as ntpdc sends them. Response
// fragments are matched on implementation and request code, numbered by their sequence (0..127)
// and complete when every number up to the one without the More bit is present; duplicates are
// ignored, a fragment with another item size is an inconsistency. Each wait is bounded by Timeout.
// With a Trace (ntpdc -d) each datagram set aside is named in ntpdc 4.2.8's words (all at level 1:
// ntpdc has no other levels here), as are the sequence numbers held when an answer stays
// incomplete. An authenticated response is set aside, as ntpdc does.
using System.Net;
using Stratum.Client.Diagnostics;
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

    /// <summary>Where ntpdc's debug lines go (-d), or null.</summary>
    public DebugTrace? Trace { get; set; }

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
                if (received == 0)
                {
                    return Mode7Result.Failed(Mode7Outcome.Timeout);
                }

                TraceIncomplete(fragments, last);
                return Mode7Result.Failed(Mode7Outcome.Incomplete);
            }

            if (!datagram.Source.Equals(_server))
            {
                continue;
            }

            ReadOnlySpan<byte> packet = _receiveBuffer.AsSpan(0, datagram.Length);
            if (!Mode7Message.TryRead(packet, out Mode7Header header, out ReadOnlySpan<byte> data, out Mode7MessageError error))
            {
                TraceUnreadable(packet, error);
                continue;
            }

            if (!IsOurs(header, packet, request))
            {
                continue;
            }

            if (header.Error != Mode7ErrorCode.None)
            {
                if (header.HasMore)
                {
                    Trace?.Write(1, $"Error code {(int)header.Error} received on not-final packet");
                }

                return Mode7Result.Failed(Mode7Outcome.ServerError, header.Error);
            }

            if (itemSize >= 0 && header.ItemCount > 0 && header.ItemSize != itemSize)
            {
                Trace?.Write(1, $"Received itemsize {header.ItemSize}, previous {itemSize}");
                return Mode7Result.Failed(Mode7Outcome.Inconsistent);
            }

            if (last >= 0 && header.HasMore && header.Sequence > last)
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
            else
            {
                Trace?.Write(1, $"Received duplicate sequence number {header.Sequence}");
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

    /// <summary>An unauthenticated response to this request (ntpdc's checks, in its order).</summary>
    private bool IsOurs(in Mode7Header header, ReadOnlySpan<byte> packet, Mode7RequestCode request)
    {
        if ((packet[1] & 0x80) != 0)
        {
            Trace?.Write(1, $"Encrypted packet received");
            return false;
        }

        if (!header.IsResponse)
        {
            Trace?.Write(1, $"Received request packet, wanted response");
            return false;
        }

        if (header.Implementation != Implementation || header.Request != request)
        {
            Trace?.Write(1, $"Received implementation/request of {(int)header.Implementation}/{(int)header.Request}, wanted {(int)Implementation}/{(int)request}");
            return false;
        }

        return true;
    }

    private void TraceUnreadable(ReadOnlySpan<byte> packet, Mode7MessageError error)
    {
        if (Trace is null)
        {
            return;
        }

        switch (error)
        {
            case Mode7MessageError.TooShort:
                Trace.Write(1, $"Short ({packet.Length} byte) packet received");
                break;
            case Mode7MessageError.BadVersion:
                Trace.Write(1, $"Packet received with version {(packet[0] >> 3) & 0x07}");
                break;
            case Mode7MessageError.WrongMode:
                Trace.Write(1, $"Packet received with mode {packet[0] & 0x07}");
                break;
            case Mode7MessageError.NonZeroReserved:
                Trace.Write(1, $"Received packet with nonzero MBZ field!");
                break;
            default:
                int items = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(packet[4..]) & 0x0FFF;
                int size = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x0FFF;
                Trace.Write(1, $"Received items {items}, size {size} (total {items * size}), data in packet is {packet.Length - Mode7Message.HeaderSize}");
                break;
        }
    }

    /// <summary>ntpdc's listing when an answer stays incomplete: "Received sequence numbers 0, 2, last frame not received".</summary>
    private void TraceIncomplete(byte[]?[] fragments, int last)
    {
        if (Trace is null || !Trace.IsOn(1))
        {
            return;
        }

        var line = new System.Text.StringBuilder("Received sequence numbers");
        for (int i = 0; i < fragments.Length; i++)
        {
            if (fragments[i] is not null)
            {
                line.Append(' ').Append(i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',');
            }
        }

        line.Append(last >= 0 ? " last frame received" : " last frame not received");
        Trace.Write(1, $"{line}");
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
