// Mode6Client: sends mode 6 requests and reassembles the answers (RFC 1305 appendix B;
// ntpq 4.2.8 ntpq.c sendrequest/getresponse). Each request gets the next sequence number;
// replies with another sequence or opcode, requests (R=0) and datagrams from another address are
// ignored. The wait for each fragment is bounded by Timeout (ntpq's 5 s default, reset per
// fragment as ntpq's secondary timeout); with nothing received the request is sent once more
// (Attempts). An authenticated request (ntpq's writes, :config) is padded to 8 octets and carries
// the key id and MAC of Key (ControlMac); the server signs its answer, which ntpq, like ntpq 4.2.8,
// does not require. MruCollector builds mrulist (REQ_NONCE, READ_MRU) on Query.
using System.Net;
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

            TransportError sent = _transport.Send(request, _server);
            if (!sent.IsNone)
            {
                return Mode6Result.Failed(Mode6Error.Transport, transportMessage: sent.Message);
            }

            result = Receive(opcode, _sequence);
            if (result.Error != Mode6Error.Timeout)
            {
                return result;
            }
        }

        return result;
    }

    private Mode6Result Receive(ControlOpcode opcode, ushort sequence)
    {
        var assembler = new FragmentAssembler();
        ushort status = 0;
        long deadline = _clock.ReadMonotonicNanoseconds() + TimeoutNanoseconds;
        while (true)
        {
            long remaining = deadline - _clock.ReadMonotonicNanoseconds();
            if (remaining <= 0 || !_transport.TryReceive(_receiveBuffer, remaining, out ReceivedDatagram datagram))
            {
                return Mode6Result.Failed(assembler.FragmentCount == 0 ? Mode6Error.Timeout : Mode6Error.Incomplete);
            }

            if (!datagram.Source.Equals(_server)
                || !ControlMessage.TryRead(_receiveBuffer.AsSpan(0, datagram.Length), out ControlHeader header, out ReadOnlySpan<byte> data, out _, out _)
                || !header.IsResponse || header.Sequence != sequence || header.Opcode != opcode)
            {
                continue;
            }

            if (header.IsError)
            {
                return Mode6Result.Failed(Mode6Error.ServerError, header.ErrorCode);
            }

            if (!assembler.TryAdd(header, data))
            {
                return Mode6Result.Failed(Mode6Error.TooMuchData);
            }

            status = header.Status;
            if (assembler.IsComplete)
            {
                return new Mode6Result(Mode6Error.None, status, assembler.ToArray());
            }

            deadline = _clock.ReadMonotonicNanoseconds() + TimeoutNanoseconds;
        }
    }
}
