// Mode6Client over an in-memory transport whose clock advances instead of sleeping: sequence
// matching, fragments out of order and duplicated, a missing fragment (incomplete), silence
// (timeout after the retry), server error codes in ntpq's words, and foreign datagrams ignored.
// With a DebugTrace: ntpq 4.2.8's -d lines at their levels (1 set-asides, duplicates and the
// reassembly count; 2 "Got packet"/"Packet okay"; 3 "Sending"; 4 hex dumps), the ERR_INCOMPLETE
// listing, and a zero-length non-final fragment set aside.
using System.Net;
using Stratum.Client.Diagnostics;
using Stratum.Client.Mode6;
using Stratum.Client.Sntp;
using Stratum.Client.Transport;
using Stratum.Core.Mode6;

namespace Stratum.Client.Tests.Mode6;

public class Mode6ClientTests
{
    private static readonly IPEndPoint s_server = new(IPAddress.Loopback, 123);

    /// <summary>Answers each request with the datagrams a script returns; a receive with nothing queued advances time to the timeout.</summary>
    private sealed class ScriptedTransport(Func<ControlHeader, IEnumerable<(byte[] Datagram, IPEndPoint From)>> script) : INtpTransport
    {
        private readonly Queue<(byte[], IPEndPoint)> _pending = new();

        public long Mono { get; private set; }

        public int Sent { get; private set; }

        public SntpClock Clock => new(() => 0, () => Mono);

        public TransportError Send(ReadOnlySpan<byte> datagram, IPEndPoint destination)
        {
            Sent++;
            Assert.True(ControlMessage.TryRead(datagram, out ControlHeader header, out _, out _, out _));
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

    private static byte[] Fragment(ControlHeader request, string text, int offset, bool more, ushort status = 0x0615, bool error = false)
    {
        byte[] data = System.Text.Encoding.ASCII.GetBytes(text);
        var header = new ControlHeader(request.Version, true, error, more, request.Opcode, request.Sequence, status, request.AssociationId, (ushort)offset, (ushort)data.Length);
        var datagram = new byte[ControlMessage.HeaderSize + ControlMessage.PaddedLength(data.Length)];
        ControlMessage.Write(header, data, datagram);
        return datagram;
    }

    [Fact]
    public void Query_FragmentsOutOfOrderAndDuplicated_Reassembles()
    {
        var transport = new ScriptedTransport(request =>
        [
            (Fragment(request, "c=3", 8, more: false), s_server),
            (Fragment(request, "a=1, ", 0, more: true), s_server),
            (Fragment(request, "c=3", 8, more: false), s_server),
            (Fragment(request, "b=2", 5, more: true), s_server),
        ]);
        var client = new Mode6Client(transport, transport.Clock, s_server);
        Mode6Result result = client.Query(ControlOpcode.ReadVariables, 0, []);
        Assert.True(result.IsSuccess);
        Assert.Equal(0x0615, result.Status);
        Assert.Equal("a=1, b=2c=3", System.Text.Encoding.ASCII.GetString(result.Data));
    }

    [Fact]
    public void Query_WrongSequenceOrSourceOrRequests_AreIgnored()
    {
        var transport = new ScriptedTransport(request =>
        [
            (Fragment(request with { Sequence = (ushort)(request.Sequence + 1) }, "x=1", 0, more: false), s_server),
            (Fragment(request, "y=1", 0, more: false), new IPEndPoint(IPAddress.Parse("127.0.0.9"), 123)),
            (Fragment(request, "ok=1", 0, more: false), s_server),
        ]);
        var client = new Mode6Client(transport, transport.Clock, s_server);
        Mode6Result result = client.Query(ControlOpcode.ReadVariables, 0, []);
        Assert.Equal("ok=1", System.Text.Encoding.ASCII.GetString(result.Data));
    }

    [Fact]
    public void Query_MissingFragment_ReportsIncomplete()
    {
        var transport = new ScriptedTransport(request => [(Fragment(request, "tail", 8, more: false), s_server)]);
        var client = new Mode6Client(transport, transport.Clock, s_server);
        Mode6Result result = client.Query(ControlOpcode.ReadVariables, 0, []);
        Assert.Equal(Mode6Error.Incomplete, result.Error);
        Assert.Equal("***Response from server was incomplete", result.Message(0));
    }

    [Fact]
    public void Query_Silence_RetriesOnceThenTimesOut()
    {
        var transport = new ScriptedTransport(_ => []);
        var client = new Mode6Client(transport, transport.Clock, s_server) { TimeoutNanoseconds = 2_000_000_000 };
        Mode6Result result = client.Query(ControlOpcode.ReadStatus, 0, []);
        Assert.Equal(Mode6Error.Timeout, result.Error);
        Assert.Equal("***Request timed out", result.Message(0));
        Assert.Equal(2, transport.Sent);
        Assert.Equal(4_000_000_000, transport.Mono);
    }

    [Theory]
    [InlineData(ControlErrorCode.BadAssociation, "***Association ID 42 unknown to server")]
    [InlineData(ControlErrorCode.UnknownVariable, "***A request variable unknown to the server")]
    [InlineData(ControlErrorCode.Permission, "***Server disallowed request (authentication?)")]
    [InlineData(ControlErrorCode.BadOpcode, "***Server reports bad opcode in request")]
    [InlineData((ControlErrorCode)9, "***Server returns unknown error code 9")]
    public void Query_ServerError_MapsToNtpqMessage(ControlErrorCode code, string message)
    {
        var transport = new ScriptedTransport(request => [(Fragment(request, "", 0, more: false, status: (ushort)((byte)code << 8), error: true), s_server)]);
        var client = new Mode6Client(transport, transport.Clock, s_server);
        Mode6Result result = client.Query(ControlOpcode.ReadVariables, 42, []);
        Assert.Equal(Mode6Error.ServerError, result.Error);
        Assert.Equal(message, result.Message(42));
    }

    [Fact]
    public void Query_InconsistentFragments_ReportsTooMuchData()
    {
        var transport = new ScriptedTransport(request =>
        [
            (Fragment(request, "abcd", 0, more: false), s_server),
        ]);
        var assembler = new FragmentAssembler();
        var last = new ControlHeader(2, true, false, false, ControlOpcode.ReadVariables, 1, 0, 0, 0, 4);
        Assert.True(assembler.TryAdd(last, "abcd"u8));
        Assert.False(assembler.TryAdd(last with { Offset = 8 }, "efgh"u8));
        var client = new Mode6Client(transport, transport.Clock, s_server);
        Assert.True(client.Query(ControlOpcode.ReadVariables, 0, []).IsSuccess);
    }

    private static (Mode6Client Client, List<string> Lines) Traced(ScriptedTransport transport, int level)
    {
        var lines = new List<string>();
        var client = new Mode6Client(transport, transport.Clock, s_server) { Trace = new DebugTrace(lines.Add, level) };
        return (client, lines);
    }

    [Fact]
    public void Query_TraceLevel3_NamesEachDatagramAsNtpqDoes()
    {
        var transport = new ScriptedTransport(request =>
        [
            (Fragment(request with { Sequence = (ushort)(request.Sequence + 1) }, "x=1", 0, more: false), s_server),
            (Fragment(request, "c=3", 8, more: false), s_server),
            (Fragment(request, "a=1, ", 0, more: true), s_server),
            (Fragment(request, "c=3", 8, more: false), s_server),
            (Fragment(request, "b=2", 5, more: true), s_server),
        ]);
        (Mode6Client client, List<string> lines) = Traced(transport, 3);
        Assert.True(client.Query(ControlOpcode.ReadVariables, 0, []).IsSuccess);
        Assert.Equal(
        [
            "Sending 12 octets",
            "Received sequnce number 2, wanted 1",
            "Got packet, size = 16", "Packet okay",
            "Got packet, size = 20", "Packet okay",
            "Got packet, size = 16", "Packet okay", "duplicate 3 octets at 8 ignored, prior 3 at 8",
            "Got packet, size = 16", "Packet okay",
            "3 packets reassembled into response",
        ], lines);
    }

    [Fact]
    public void Query_TraceLevel1_OnlyTheReassemblyCount()
    {
        var transport = new ScriptedTransport(request => [(Fragment(request, "a=1", 0, more: false), s_server)]);
        (Mode6Client client, List<string> lines) = Traced(transport, 1);
        Assert.True(client.Query(ControlOpcode.ReadVariables, 0, []).IsSuccess);
        Assert.Equal(["1 packets reassembled into response"], lines);
    }

    [Fact]
    public void Query_TraceLevel0_Silent()
    {
        var transport = new ScriptedTransport(request => [(Fragment(request with { AssociationId = 3 }, "a=1", 0, more: false), s_server)]);
        (Mode6Client client, List<string> lines) = Traced(transport, 0);
        Assert.True(client.Query(ControlOpcode.ReadVariables, 0, []).IsSuccess);
        Assert.Empty(lines);
    }

    [Fact]
    public void Query_TraceLevel4_DumpsRequestAndResponse()
    {
        var transport = new ScriptedTransport(request => [(Fragment(request, "a=1", 0, more: false), s_server)]);
        (Mode6Client client, List<string> lines) = Traced(transport, 4);
        Assert.True(client.Query(ControlOpcode.ReadVariables, 0, []).IsSuccess);
        Assert.Equal(8, lines.Count);
        Assert.Equal("Sending 12 octets", lines[0]);
        Assert.Equal("Request packet:", lines[1]);
        Assert.Equal("16 02 00 01 00 00 00 00  00 00 00 00" + new string(' ', 14) + "............", lines[2]);
        Assert.Equal("Response packet:", lines[3]);
        Assert.Equal("16 82 00 01 06 15 00 00  00 00 00 03 61 3D 31 00  ............a=1.", lines[4]);
        Assert.Equal(["Got packet, size = 16", "Packet okay", "1 packets reassembled into response"], lines[5..]);
    }

    [Fact]
    public void Query_TraceIncomplete_ListsTheFragmentsHeld()
    {
        var transport = new ScriptedTransport(request => [(Fragment(request, "tail", 8, more: false), s_server)]);
        (Mode6Client client, List<string> lines) = Traced(transport, 1);
        Assert.Equal(Mode6Error.Incomplete, client.Query(ControlOpcode.ReadVariables, 0, []).Error);
        Assert.Equal(["ERR_INCOMPLETE: Received fragments:", " 0:     8    12\t  4 octets", "last fragment received"], lines);
    }

    [Fact]
    public void Query_ZeroCountNonFinalFragmentAndOtherAssociation_TracedAsNtpq()
    {
        var transport = new ScriptedTransport(request =>
        [
            (Fragment(request, "", 0, more: true), s_server),
            (Fragment(request with { AssociationId = 5 }, "a=1", 0, more: false), s_server),
        ]);
        (Mode6Client client, List<string> lines) = Traced(transport, 1);
        Mode6Result result = client.Query(ControlOpcode.ReadVariables, 0, []);
        Assert.Equal("a=1", System.Text.Encoding.ASCII.GetString(result.Data));
        Assert.Equal(
        [
            "Received count of 0 in non-final fragment",
            "Association ID 5 doesn't match expected 0",
            "1 packets reassembled into response",
        ], lines);
    }

    [Fact]
    public void Query_TraceUnreadableDatagrams_NamesTheReason()
    {
        var transport = new ScriptedTransport(request =>
        {
            byte[] good = Fragment(request, "a=1", 0, more: false);
            byte[] mode = (byte[])good.Clone();
            mode[0] = 0x14;
            byte[] version = (byte[])good.Clone();
            version[0] = 0x3E;
            byte[] notResponse = (byte[])good.Clone();
            notResponse[1] &= 0x7F;
            return [(good[..5], s_server), (mode, s_server), (version, s_server), (notResponse, s_server), (good, s_server)];
        });
        (Mode6Client client, List<string> lines) = Traced(transport, 1);
        Assert.True(client.Query(ControlOpcode.ReadVariables, 0, []).IsSuccess);
        Assert.Equal(
        [
            "Short (5 byte) packet received",
            "Packet received with mode 4",
            "Packet received with version 7",
            "Received request packet, wanted response",
            "1 packets reassembled into response",
        ], lines);
    }
}
