// Mode7Client against a scripted server: fragments out of order and duplicated are reassembled;
// a missing fragment is reported as incomplete; silence times out; server errors map to ntpdc's
// words; a fragment with a different item size is an inconsistency; strangers are ignored. With a
// DebugTrace: ntpdc 4.2.8's -d lines for each datagram set aside and for an incomplete answer, and
// nothing for a clean exchange (ntpdc prints nothing then).
using System.Net;
using Stratum.Client.Diagnostics;
using Stratum.Client.Mode7;
using Stratum.Client.Sntp;
using Stratum.Client.Transport;
using Stratum.Core.Mode7;

namespace Stratum.Client.Tests.Mode7;

public class Mode7ClientTests
{
    private static readonly IPEndPoint s_server = new(IPAddress.Loopback, 123);

    private sealed class ScriptedTransport(Func<Mode7Header, IEnumerable<(byte[] Datagram, IPEndPoint From)>> script) : INtpTransport
    {
        private readonly Queue<(byte[], IPEndPoint)> _pending = new();

        public long Mono { get; private set; }

        public SntpClock Clock => new(() => 0, () => Mono);

        public TransportError Send(ReadOnlySpan<byte> datagram, IPEndPoint destination)
        {
            Assert.Equal(Mode7Message.RequestLength, datagram.Length);
            Assert.True(Mode7Message.TryRead(datagram, out Mode7Header header, out _, out _));
            foreach ((byte[] Datagram, IPEndPoint From) reply in script(header))
            {
                _pending.Enqueue(reply);
            }

            return TransportError.None;
        }

        public bool TryReceive(Span<byte> buffer, long timeoutNanoseconds, out ReceivedDatagram datagram)
        {
            if (_pending.Count == 0)
            {
                Mono += timeoutNanoseconds;
                datagram = default;
                return false;
            }

            (byte[] bytes, IPEndPoint from) = _pending.Dequeue();
            bytes.CopyTo(buffer);
            Mono += 1_000_000;
            datagram = new ReceivedDatagram(bytes.Length, from, 0);
            return true;
        }

        public void Dispose()
        {
        }
    }

    private static byte[] Fragment(Mode7Header request, byte sequence, bool more, byte[] items, int itemSize, Mode7ErrorCode error = Mode7ErrorCode.None)
    {
        var datagram = new byte[Mode7Message.HeaderSize + items.Length];
        Mode7Message.Write(new Mode7Header(true, more, 2, false, sequence, request.Implementation, request.Request, error,
            (ushort)(itemSize == 0 ? 0 : items.Length / itemSize), (ushort)itemSize), items, datagram);
        return datagram;
    }

    private static Mode7Result Ask(ScriptedTransport transport) =>
        new Mode7Client(transport, transport.Clock, s_server) { TimeoutNanoseconds = 1_000_000_000 }.Query(Mode7RequestCode.PeerList);

    [Fact]
    public void Query_FragmentsOutOfOrderAndDuplicated_Reassembles()
    {
        using var transport = new ScriptedTransport(request =>
        [
            (Fragment(request, 1, false, [3, 3, 3, 3], 4), s_server),
            (Fragment(request, 0, true, [1, 1, 1, 1, 2, 2, 2, 2], 4), new IPEndPoint(IPAddress.Loopback, 999)),
            (Fragment(request, 1, false, [3, 3, 3, 3], 4), s_server),
            (Fragment(request, 0, true, [1, 1, 1, 1, 2, 2, 2, 2], 4), s_server),
        ]);
        Mode7Result result = Ask(transport);
        Assert.True(result.IsSuccess, result.Message);
        Assert.Equal(3, result.ItemCount);
        Assert.Equal(new byte[] { 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3 }, result.Data);
    }

    [Fact]
    public void Query_MissingFragment_ReportsIncomplete()
    {
        using var transport = new ScriptedTransport(request => [(Fragment(request, 1, false, [3, 3, 3, 3], 4), s_server)]);
        Assert.Equal(Mode7Outcome.Incomplete, Ask(transport).Outcome);
    }

    [Fact]
    public void Query_Silence_TimesOut()
    {
        using var transport = new ScriptedTransport(_ => []);
        Mode7Result result = Ask(transport);
        Assert.Equal(Mode7Outcome.Timeout, result.Outcome);
        Assert.Equal("***Request timed out", result.Message);
    }

    [Theory]
    [InlineData(Mode7ErrorCode.Request, "***Server doesn't implement this request")]
    [InlineData(Mode7ErrorCode.Implementation, "***Server implementation incompatible with our own")]
    [InlineData(Mode7ErrorCode.NoData, "***Server reports data not found")]
    public void Query_ServerError_MapsToNtpdcWords(Mode7ErrorCode code, string message)
    {
        using var transport = new ScriptedTransport(request => [(Fragment(request, 0, false, [], 0, code), s_server)]);
        Mode7Result result = Ask(transport);
        Assert.Equal(Mode7Outcome.ServerError, result.Outcome);
        Assert.Equal(message, result.Message);
    }

    [Fact]
    public void Query_FragmentsWithDifferentItemSizes_AreInconsistent()
    {
        using var transport = new ScriptedTransport(request =>
        [
            (Fragment(request, 0, true, [1, 1, 1, 1], 4), s_server),
            (Fragment(request, 1, false, [2, 2], 2), s_server),
        ]);
        Assert.Equal(Mode7Outcome.Inconsistent, Ask(transport).Outcome);
    }

    private static (Mode7Result Result, List<string> Lines) AskTraced(ScriptedTransport transport, int level = 1)
    {
        var lines = new List<string>();
        var client = new Mode7Client(transport, transport.Clock, s_server) { TimeoutNanoseconds = 1_000_000_000, Trace = new DebugTrace(lines.Add, level) };
        return (client.Query(Mode7RequestCode.PeerList), lines);
    }

    [Fact]
    public void Query_TraceCleanExchange_PrintsNothing()
    {
        using var transport = new ScriptedTransport(request => [(Fragment(request, 0, false, [1, 1, 1, 1], 4), s_server)]);
        (Mode7Result result, List<string> lines) = AskTraced(transport, level: 4);
        Assert.True(result.IsSuccess);
        Assert.Empty(lines);
    }

    [Fact]
    public void Query_TraceSetAsideDatagrams_InNtpdcWords()
    {
        using var transport = new ScriptedTransport(request =>
        {
            byte[] good = Fragment(request, 1, false, [3, 3, 3, 3], 4);
            byte[] mode = (byte[])good.Clone();
            mode[0] = (byte)((mode[0] & 0xF8) | 6);
            byte[] reserved = (byte[])good.Clone();
            reserved[6] |= 0x10;
            byte[] encrypted = (byte[])good.Clone();
            encrypted[1] |= 0x80;
            byte[] other = Fragment(request with { Request = Mode7RequestCode.SystemInfo }, 0, false, [], 0);
            return
            [
                (good[..4], s_server), (mode, s_server), (reserved, s_server), (encrypted, s_server), (other, s_server),
                (good, s_server), (good, s_server), (Fragment(request, 0, true, [1, 1, 1, 1], 4), s_server),
            ];
        });
        (Mode7Result result, List<string> lines) = AskTraced(transport);
        Assert.True(result.IsSuccess, result.Message);
        Assert.Equal(
        [
            "Short (4 byte) packet received",
            "Packet received with mode 6",
            "Received packet with nonzero MBZ field!",
            "Encrypted packet received",
            "Received implementation/request of 3/4, wanted 3/0",
            "Received duplicate sequence number 1",
        ], lines);
    }

    [Fact]
    public void Query_TraceIncomplete_ListsSequenceNumbers()
    {
        using var transport = new ScriptedTransport(request => [(Fragment(request, 2, false, [3, 3, 3, 3], 4), s_server), (Fragment(request, 0, true, [3, 3, 3, 3], 4), s_server)]);
        (Mode7Result result, List<string> lines) = AskTraced(transport);
        Assert.Equal(Mode7Outcome.Incomplete, result.Outcome);
        Assert.Equal(["Received sequence numbers 0, 2, last frame received"], lines);
    }

    [Fact]
    public void Query_TraceItemSizeChange_NamesBothSizes()
    {
        using var transport = new ScriptedTransport(request =>
        [
            (Fragment(request, 0, true, [1, 1, 1, 1], 4), s_server),
            (Fragment(request, 1, false, [2, 2], 2), s_server),
        ]);
        (Mode7Result result, List<string> lines) = AskTraced(transport);
        Assert.Equal(Mode7Outcome.Inconsistent, result.Outcome);
        Assert.Equal(["Received itemsize 2, previous 4"], lines);
    }
}
