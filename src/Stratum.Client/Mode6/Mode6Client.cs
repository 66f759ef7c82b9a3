// Mode6Client: sends mode 6 requests and reassembles the answers (RFC 1305 appendix B;
// ntpq 4.2.8 ntpq.c sendrequest/getresponse). Each request gets the next sequence number;
// replies with another sequence or opcode, requests (R=0) and datagrams from another address are
// ignored. The wait for each fragment is bounded by Timeout (ntpq's 5 s default, reset per
// fragment as ntpq's secondary timeout); with nothing received the request is sent once more
// (Attempts). An authenticated request (ntpq's writes, :config) is padded to 8 octets and carries
// the key id and MAC of Key (ControlMac); the server signs its answer, which ntpq, like ntpq 4.2.8,
// does not require. MruCollector builds mrulist (REQ_NONCE, READ_MRU) on Query.
// With a Trace (ntpq -d) the exchange is described in ntpq 4.2.8's words and at its levels: 1 a
// datagram set aside and why, a duplicate fragment, "N packets reassembled into response", the
// fragments held when a response stays incomplete; 2 "Got packet, size = N", "Packet okay"; 3
// "Sending N octets"; 4 hex dumps of each request and response. A zero-length fragment with the
// More bit is set aside, as ntpq does.
using System.Net;
using Stratum.Client.Diagnostics;
using Stratum.Client.Sntp;
using Stratum.Client.Transport;
using Stratum.Core.Auth;
using Stratum.Core.Mode6;

namespace Stratum.Client.Mode6;

/// <summary>One server's mode 6 conversation over a transport.</summary>
public sealed class Mode6Client
{
    private const int ReceiveBufferSize = 2048;

    private readonly INtpTransport _transport;
    private readonly SntpClock _clock;
    private readonly IPEndPoint _server;
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferSize];
    private ushort _sequence;

    public Mode6Client(INtpTransport transport, SntpClock clock, IPEndPoint server, ushort firstSequence = 1)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(server);
        _transport = transport;
        _clock = clock;
        _server = server;
        _sequence = (ushort)(firstSequence - 1);
    }

    /// <summary>Wait for each response fragment, in nanoseconds (ntpq `timeout`, default 5000 ms).</summary>
    public long TimeoutNanoseconds { get; set; } = 5_000_000_000;

    /// <summary>Times a request is sent when nothing comes back.</summary>
    public int Attempts { get; set; } = 2;

    /// <summary>Version field of requests (ntpq sends 2 unless told otherwise).</summary>
    public byte Version { get; set; } = 2;

    public IPEndPoint Server => _server;

    /// <summary>The key that signs authenticated requests (ntpq keyid and passwd), or null.</summary>
    public SymmetricKey? Key { get; set; }

    /// <summary>Where ntpq's debug lines go (-d), or null.</summary>
    public DebugTrace? Trace { get; set; }

    /// <summary>Sends one request and waits for the whole response; signed with <see cref="Key"/>
    /// when <paramref name="authenticate"/> is set (without a key the request is not sent).</summary>
    public Mode6Result Query(ControlOpcode opcode, ushort associationId, ReadOnlySpan<byte> data, bool authenticate = false)
    {
        if (authenticate && Key is null)
        {
            return Mode6Result.Failed(Mode6Error.NoKey);
        }

        if (data.Length > ControlMessage.MaxDataLength)
        {
            return Mode6Result.Failed(Mode6Error.TooMuchData);
        }

        Mode6Result result = Mode6Result.Failed(Mode6Error.Timeout);
        for (int attempt = 0; attempt < Math.Max(1, Attempts); attempt++)
        {
            _sequence = (ushort)(_sequence + 1 == 0 ? 1 : _sequence + 1);
            var request = new byte[authenticate ? ControlMac.SignedLength(data.Length, Key!) : ControlMessage.HeaderSize + ControlMessage.PaddedLength(data.Length)];
            ControlMessage.Write(ControlHeader.Request(opcode, _sequence, associationId, (ushort)data.Length, Version), data, request);
            if (authenticate)
            {
                ControlMac.Sign(Key!, request, data.Length);
            }

            Trace?.Write(3, $"Sending {request.Length} octets");
            TransportError sent = _transport.Send(request, _server);
            if (!sent.IsNone)
            {
                return Mode6Result.Failed(Mode6Error.Transport, transportMessage: sent.Message);
            }

            Trace?.Dump(4, "Request packet:", request);
            result = Receive(opcode, _sequence, associationId);
            if (result.Error != Mode6Error.Timeout)
            {
                return result;
            }
        }

        return result;
    }

    private Mode6Result Receive(ControlOpcode opcode, ushort sequence, ushort associationId)
    {
        var assembler = new FragmentAssembler();
        ushort status = 0;
        long deadline = _clock.ReadMonotonicNanoseconds() + TimeoutNanoseconds;
        while (true)
        {
            long remaining = deadline - _clock.ReadMonotonicNanoseconds();
            if (remaining <= 0 || !_transport.TryReceive(_receiveBuffer, remaining, out ReceivedDatagram datagram))
            {
                if (assembler.FragmentCount == 0)
                {
                    return Mode6Result.Failed(Mode6Error.Timeout);
                }

                TraceIncomplete(assembler);
                return Mode6Result.Failed(Mode6Error.Incomplete);
            }

            if (!datagram.Source.Equals(_server))
            {
                continue;
            }

            ReadOnlySpan<byte> received = _receiveBuffer.AsSpan(0, datagram.Length);
            Trace?.Dump(4, "Response packet:", received);
            if (!ControlMessage.TryRead(received, out ControlHeader header, out ReadOnlySpan<byte> data, out _, out ControlMessageError error))
            {
                TraceUnreadable(received, error);
                continue;
            }

            if (!IsOurs(header, opcode, sequence))
            {
                continue;
            }

            if (header.IsError)
            {
                if (header.HasMore)
                {
                    Trace?.Write(1, $"Error code {(int)header.ErrorCode} received on not-final packet");
                }

                return Mode6Result.Failed(Mode6Error.ServerError, header.ErrorCode);
            }

            if (header.AssociationId != associationId)
            {
                // ntpq only remarks on it: fuzzballs answer system variables with the sys.peer's id.
                Trace?.Write(1, $"Association ID {header.AssociationId} doesn't match expected {associationId}");
            }

            Trace?.Write(2, $"Got packet, size = {received.Length}");
            if (header.Count == 0 && header.HasMore)
            {
                Trace?.Write(1, $"Received count of 0 in non-final fragment");
                continue;
            }

            Trace?.Write(2, $"Packet okay");
            if (assembler.TryGetLength(header.Offset, out int prior))
            {
                Trace?.Write(1, $"duplicate {header.Count} octets at {header.Offset} ignored, prior {prior} at {header.Offset}");
                continue;
            }

            if (!assembler.TryAdd(header, data))
            {
                return Mode6Result.Failed(Mode6Error.TooMuchData);
            }

            status = header.Status;
            if (assembler.IsComplete)
            {
                Trace?.Write(1, $"{assembler.FragmentCount} packets reassembled into response");
                return new Mode6Result(Mode6Error.None, status, assembler.ToArray());
            }

            deadline = _clock.ReadMonotonicNanoseconds() + TimeoutNanoseconds;
        }
    }

    /// <summary>A response to this request: R set, same sequence and opcode (ntpq's checks, in its order).</summary>
    private bool IsOurs(in ControlHeader header, ControlOpcode opcode, ushort sequence)
    {
        if (!header.IsResponse)
        {
            Trace?.Write(1, $"Received request packet, wanted response");
            return false;
        }

        if (header.Sequence != sequence)
        {
            // "sequnce" is ntpq 4.2.8's spelling.
            Trace?.Write(1, $"Received sequnce number {header.Sequence}, wanted {sequence}");
            return false;
        }

        if (header.Opcode != opcode)
        {
            Trace?.Write(1, $"Received opcode {(int)header.Opcode}, wanted {(int)opcode} (sequence number okay)");
            return false;
        }

        return true;
    }

    private void TraceUnreadable(ReadOnlySpan<byte> received, ControlMessageError error)
    {
        if (Trace is null)
        {
            return;
        }

        switch (error)
        {
            case ControlMessageError.TooShort:
                Trace.Write(1, $"Short ({received.Length} byte) packet received");
                break;
            case ControlMessageError.BadVersion:
                Trace.Write(1, $"Packet received with version {(received[0] >> 3) & 0x07}");
                break;
            case ControlMessageError.WrongMode:
                Trace.Write(1, $"Packet received with mode {received[0] & 0x07}");
                break;
            case ControlMessageError.BadCount:
                Trace.Write(1, $"Received count of {System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(received[10..])} octets, data in packet is {received.Length - ControlMessage.HeaderSize}");
                break;
            default:
                Trace.Write(1, $"Offset {System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(received[8..])}, count {System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(received[10..])}, too big for buffer");
                break;
        }
    }

    /// <summary>ntpq's ERR_INCOMPLETE listing: each fragment held, then whether the last one came.</summary>
    private void TraceIncomplete(FragmentAssembler assembler)
    {
        if (Trace is null || !Trace.IsOn(1))
        {
            return;
        }

        Trace.Write(1, $"ERR_INCOMPLETE: Received fragments:");
        IReadOnlyList<(int Offset, int Length)> fragments = assembler.Fragments();
        for (int i = 0; i < fragments.Count; i++)
        {
            (int offset, int length) = fragments[i];
            Trace.Write(1, $"{i,2}: {offset,5} {offset + length,5}\t{length,3} octets");
        }

        Trace.Write(1, $"last fragment {(assembler.LastSeen ? string.Empty : "not ")}received");
    }
}
