// MruCollector against the real Engine responder through an in-memory transport (no sockets, a
// clock that advances instead of sleeping): a list longer than one answer is fetched page by page
// newest first; entries refreshed during the fetch become updates, not duplicates; when every
// prior entry sent has moved the collector backs up and still completes; a server without
// REQ_NONCE ends the command with ntpq's two lines; a silent server ends it with a timeout.
using System.Net;
using Stratum.Client.Mode6;
using Stratum.Client.Sntp;
using Stratum.Client.Transport;
using Stratum.Core.Config;
using Stratum.Core.Mode6;
using Stratum.Core.Time;
using Stratum.Engine;
using Stratum.Engine.Access;

namespace Stratum.Client.Tests.Mode6;

public class MruCollectorTests
{
    private static readonly IPEndPoint s_server = new(IPAddress.Loopback, 123);
    private static readonly ClientAddress s_us = ClientAddress.From(IPAddress.Loopback, 50000);

    /// <summary>Delivers requests to an engine's control responder; <see cref="BeforeAnswer"/> may change the list first.</summary>
    private sealed class EngineTransport(NtpEngine engine) : INtpTransport
    {
        private readonly Queue<byte[]> _pending = new();

        public long Mono { get; private set; } = 1_000_000_000;

        public long Real => 1_795_000_000L * 1_000_000_000 + Mono;

        public LoopTime Now => new(Mono, NtpTimestamp.FromUnixNanoseconds(Real));

        public SntpClock Clock => new(() => Real, () => Mono);

        public List<ControlOpcode> Requests { get; } = [];

        public Action<ControlOpcode>? BeforeAnswer { get; set; }

        public bool Silent { get; set; }

        public TransportError Send(ReadOnlySpan<byte> datagram, IPEndPoint destination)
        {
            Mono += 1_000_000;
            ControlOpcode opcode = (ControlOpcode)(datagram[1] & 0x1F);
            Requests.Add(opcode);
            BeforeAnswer?.Invoke(opcode);
            AccessControl access = engine.Server.Access!;
            access.AdmitQuery(s_us, access.Match(s_us).Flags, datagram[0], Mono, Now.Real);
            if (!Silent)
            {
                foreach (byte[] reply in engine.Control.Respond(datagram, Now, s_us, RestrictFlags.None))
                {
                    _pending.Enqueue(reply);
                }
            }

            return TransportError.None;
        }

        public bool TryReceive(Span<byte> buffer, long timeoutNanoseconds, out ReceivedDatagram datagram)
        {
            if (!_pending.TryDequeue(out byte[]? bytes))
            {
                Mono += timeoutNanoseconds;
                datagram = default;
                return false;
            }

            bytes.CopyTo(buffer);
            datagram = new ReceivedDatagram(bytes.Length, s_server, 0);
            return true;
        }

        public void Dispose()
        {
        }

        /// <summary>A time request from <paramref name="client"/>, recorded now.</summary>
        public void TimeRequest(NtpEngine target, ClientAddress client)
        {
            Mono += 1_000_000;
            AccessControl access = target.Server.Access!;
            access.AdmitTimeRequest(client, access.Match(client).Flags, 0x23, Mono, Now.Real);
        }
    }

    private static ClientAddress Client(int index) => ClientAddress.From(IPAddress.Parse($"10.0.{index / 250}.{(index % 250) + 1}"), 30000 + index);

    private static (NtpEngine Engine, EngineTransport Transport, List<string> Messages, MruCollector Collector) Setup(int clients)
    {
        var engine = new NtpEngine(new EngineConfiguration([], [], DisciplineEnabled: false), -24);
        var transport = new EngineTransport(engine);
        for (int i = 0; i < clients; i++)
        {
            transport.TimeRequest(engine, Client(i));
        }

        var messages = new List<string>();
        var client = new Mode6Client(transport, transport.Clock, s_server);
        return (engine, transport, messages, new MruCollector(client, transport.Clock, messages.Add));
    }

    private static List<string> Addresses(MruCollection collection) => [.. collection.NewestFirst.Select(row => row.Address.ToString())];

    private static List<string> Expected(int clients)
    {
        var expected = new List<string> { "127.0.0.1:50000" };
        for (int i = clients - 1; i >= 0; i--)
        {
            expected.Add(Client(i).ToString());
        }

        return expected;
    }

    [Fact]
    public void Collect_ListLongerThanOneAnswer_FetchesEveryEntryNewestFirst()
    {
        (_, EngineTransport transport, List<string> messages, MruCollector collector) = Setup(600);

        MruCollection collection = collector.Collect(string.Empty);

        Assert.True(collection.IsSuccess, string.Concat(messages));
        Assert.Equal(Expected(600), Addresses(collection));
        Assert.True(transport.Requests.Count(opcode => opcode == ControlOpcode.ReadMru) > 2);
        Assert.Equal(["\rRetrieved 601 unique MRU entries and 0 updates.\n"], messages);
        MruRecord newestClient = collection.NewestFirst[1];
        Assert.Equal((3, 4, 1, (ushort)0), (newestClient.Mode, newestClient.Version, newestClient.Count, newestClient.Restrictions));
        Assert.Equal(collection.NewestFirst[0].Last, collection.Now);
    }

    [Fact]
    public void Collect_EntriesRefreshedDuringTheFetch_BecomeUpdates()
    {
        (NtpEngine engine, EngineTransport transport, List<string> messages, MruCollector collector) = Setup(600);
        int refreshed = 0;
        transport.BeforeAnswer = opcode =>
        {
            if (opcode == ControlOpcode.ReadMru && refreshed < 3)
            {
                // The oldest client speaks again: the collector has already received it.
                transport.TimeRequest(engine, Client(refreshed++));
            }
        };

        MruCollection collection = collector.Collect(string.Empty);

        Assert.True(collection.IsSuccess, string.Concat(messages));
        Assert.Equal(601, collection.NewestFirst.Count);
        Assert.Equal(601, Addresses(collection).Distinct().Count());
        Assert.True(collection.Updates >= 2, $"updates: {collection.Updates}");
    }

    [Fact]
    public void Collect_EveryPriorMoved_BacksUpAndCompletes()
    {
        (NtpEngine engine, EngineTransport transport, List<string> messages, MruCollector collector) = Setup(600);
        int reads = 0;
        transport.BeforeAnswer = opcode =>
        {
            if (opcode == ControlOpcode.ReadMru && ++reads == 2)
            {
                // Everything the first answer delivered (the oldest entries) speaks again before the second request is read.
                for (int i = 0; i < 300; i++)
                {
                    transport.TimeRequest(engine, Client(i));
                }
            }
        };

        MruCollection collection = collector.Collect(string.Empty);

        Assert.True(collection.IsSuccess, string.Concat(messages));
        Assert.Equal(601, Addresses(collection).Distinct().Count());
        Assert.Equal(601, collection.NewestFirst.Count);
        Assert.True(reads >= 3);
        Assert.True(engine.Control.Errors > 0, "the server never answered CERR_UNKNOWNVAR");
    }

    [Fact]
    public void Collect_ServerWithoutNonce_PrintsNtpqsTwoLines()
    {
        var transport = new ScriptlessBadOpcodeTransport();
        var messages = new List<string>();
        var collector = new MruCollector(new Mode6Client(transport, transport.Clock, s_server), transport.Clock, messages.Add);

        MruCollection collection = collector.Collect(string.Empty);

        Assert.False(collection.IsSuccess);
        Assert.Equal(["***Server reports bad opcode in request\n", "nonce request failed\n"], messages);
    }

    [Fact]
    public void Collect_ServerSilentAfterTheNonce_StopsWithTimeout()
    {
        (_, EngineTransport transport, List<string> messages, MruCollector collector) = Setup(5);
        transport.BeforeAnswer = opcode => transport.Silent = opcode == ControlOpcode.ReadMru;

        MruCollection collection = collector.Collect(string.Empty);

        Assert.False(collection.IsSuccess);
        Assert.Equal("***Request timed out\n", messages[^1]);
    }

    [Theory]
    [InlineData("0x00000001.00000002", true, 1u, 2u)]
    [InlineData("0xe1b2c3d4.ffffffff", true, 0xe1b2c3d4u, 0xffffffffu)]
    [InlineData("e1b2c3d4.00000000", false, 0u, 0u)]
    [InlineData("0x.00000000", false, 0u, 0u)]
    [InlineData("0x123456789.0", false, 0u, 0u)]
    public void TryParseHexTimestamp_AcceptsNtpdsFormatOnly(string text, bool valid, uint seconds, uint fraction)
    {
        Assert.Equal(valid, MruCollector.TryParseHexTimestamp(text, out NtpTimestamp value));
        Assert.Equal(NtpTimestamp.FromParts(seconds, fraction), value);
    }

    /// <summary>A server that answers every request with CERR_BADOP (ntpd before 4.2.7, or any non-ntpd).</summary>
    private sealed class ScriptlessBadOpcodeTransport : INtpTransport
    {
        private byte[]? _pending;

        public long Mono { get; private set; }

        public SntpClock Clock => new(() => 0, () => Mono);

        public TransportError Send(ReadOnlySpan<byte> datagram, IPEndPoint destination)
        {
            Assert.True(ControlMessage.TryRead(datagram, out ControlHeader request, out _, out _, out _));
            var header = new ControlHeader(request.Version, true, true, false, request.Opcode, request.Sequence,
                (ushort)((byte)ControlErrorCode.BadOpcode << 8), 0, 0, 0);
            _pending = new byte[ControlMessage.HeaderSize];
            ControlMessage.Write(header, [], _pending);
            return TransportError.None;
        }

        public bool TryReceive(Span<byte> buffer, long timeoutNanoseconds, out ReceivedDatagram datagram)
        {
            datagram = default;
            if (_pending is null)
            {
                Mono += timeoutNanoseconds;
                return false;
            }

            _pending.CopyTo(buffer);
            datagram = new ReceivedDatagram(_pending.Length, s_server, 0);
            _pending = null;
            return true;
        }

        public void Dispose()
        {
        }
    }
}
