// The mode 6 responder over a real engine with one local clock (stratum 10) that has taken its
// first sample: READSTAT and READVAR for the system and the association, named variables,
// fragmentation, error codes, and hostile input that must be dropped without an exception.
using System.Buffers.Binary;
using System.Text;
using Stratum.Core.Mode6;
using Stratum.Engine.Associations;
using Stratum.Engine.Control;

namespace Stratum.Engine.Tests.Control;

public class ControlResponderTests
{
    private readonly EngineTestClock _clock = new();
    private readonly NtpEngine _engine;

    public ControlResponderTests()
    {
        _engine = new NtpEngine(new EngineConfiguration(
            [new LocalClockSettings(0, 10, 0, LocalClockSettings.DefaultReferenceId, false)], [], DisciplineEnabled: false), -24);
        _engine.Control.Identity = new ControlIdentity("ntpd Stratum test", "x86_64", "Linux/6.1.0");
        var actions = new EngineActions();
        _engine.Start(_clock.Now, actions);
        _clock.Advance(1);
        actions.Clear();
        _engine.OnTimer(_clock.Now, actions);
    }

    private byte[][] Ask(ControlOpcode opcode, ushort associationId, string data = "", ushort sequence = 7)
    {
        byte[] payload = Encoding.ASCII.GetBytes(data);
        var request = new byte[ControlMessage.HeaderSize + ControlMessage.PaddedLength(payload.Length)];
        ControlMessage.Write(ControlHeader.Request(opcode, sequence, associationId, (ushort)payload.Length), payload, request);
        return _engine.Control.Respond(request, _clock.Now).ToArray();
    }

    private static (ControlHeader Header, byte[] Data) Single(IReadOnlyList<byte[]> fragments)
    {
        byte[] fragment = Assert.Single(fragments);
        Assert.True(ControlMessage.TryRead(fragment, out ControlHeader header, out ReadOnlySpan<byte> data, out _, out _));
        return (header, data.ToArray());
    }

    [Fact]
    public void ReadStatus_System_ReturnsStatusWordAndAssociationList()
    {
        (ControlHeader header, byte[] data) = Single(Ask(ControlOpcode.ReadStatus, 0));
        Assert.True(header.IsResponse);
        Assert.False(header.IsError);
        Assert.Equal(7, header.Sequence);
        Assert.Equal(0x0515, header.Status);
        Assert.Equal(new byte[] { 0x00, 0x01, 0x96, 0x1a }, data);
    }

    [Fact]
    public void ReadStatus_Association_ReturnsPeerStatus()
    {
        (ControlHeader header, byte[] data) = Single(Ask(ControlOpcode.ReadStatus, 1));
        Assert.Equal(0x961a, header.Status);
        Assert.Empty(data);
    }

    [Fact]
    public void ReadVariables_NamedSystemVariables_ReturnsOnlyThose()
    {
        (ControlHeader header, byte[] data) = Single(Ask(ControlOpcode.ReadVariables, 0, "stratum,refid,leap"));
        Assert.Equal("stratum=11, refid=127.127.1.0, leap=0", Encoding.ASCII.GetString(data));
        Assert.Equal(0x0515, header.Status);
    }

    [Fact]
    public void ReadVariables_PeerVariables_UseNtpdNamesAndFormats()
    {
        (ControlHeader header, byte[] data) = Single(Ask(ControlOpcode.ReadVariables, 1, "srcadr,srcport,dstadr,stratum,refid,reach,hmode,hpoll,offset,delay,dispersion"));
        Assert.Equal(0x961a, header.Status);
        Assert.Equal(
            "srcadr=127.127.1.0, srcport=123, dstadr=0.0.0.0, stratum=10, refid=LOCL,\r\n"
            + "reach=0x1, hmode=3, hpoll=6, offset=0.000, delay=0.000, dispersion=0.000",
            Encoding.ASCII.GetString(data));
    }

    [Fact]
    public void ReadVariables_AllSystemVariables_StartsWithVersionAndFitsOneFragment()
    {
        (_, byte[] data) = Single(Ask(ControlOpcode.ReadVariables, 0));
        string text = Encoding.ASCII.GetString(data);
        Assert.StartsWith("version=\"ntpd Stratum test\", processor=\"x86_64\", system=\"Linux/6.1.0\",", text, StringComparison.Ordinal);
        foreach (string name in new[] { "leap=0", "stratum=11", "precision=-24", "rootdelay=", "rootdisp=", "refid=127.127.1.0", "reftime=0x", "clock=0x", "peer=1", "tc=", "mintc=", "offset=", "frequency=", "sys_jitter=", "clk_jitter=", "clk_wander=" })
        {
            Assert.Contains(name, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReadVariables_AllPeerVariables_AreFragmentedAt468Octets()
    {
        byte[][] fragments = Ask(ControlOpcode.ReadVariables, 1);
        Assert.True(fragments.Length >= 2);
        var whole = new List<byte>();
        for (int i = 0; i < fragments.Length; i++)
        {
            Assert.True(ControlMessage.TryRead(fragments[i], out ControlHeader header, out ReadOnlySpan<byte> data, out _, out _));
            Assert.Equal(i < fragments.Length - 1, header.HasMore);
            Assert.Equal(whole.Count, header.Offset);
            Assert.True(data.Length <= ControlMessage.MaxDataLength);
            Assert.Equal(0, fragments[i].Length % 4);
            whole.AddRange(data.ToArray());
        }

        string text = Encoding.ASCII.GetString([.. whole]);
        Assert.StartsWith("srcadr=127.127.1.0, srcport=123,", text, StringComparison.Ordinal);
        Assert.Contains("filtdisp=", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ControlOpcode.ReadVariables, 0, "nosuchvar", ControlErrorCode.UnknownVariable)]
    [InlineData(ControlOpcode.ReadVariables, 1, "stratum,version", ControlErrorCode.UnknownVariable)]
    [InlineData(ControlOpcode.ReadVariables, 9, "", ControlErrorCode.BadAssociation)]
    [InlineData(ControlOpcode.ReadStatus, 9, "", ControlErrorCode.BadAssociation)]
    [InlineData(ControlOpcode.WriteVariables, 0, "stratum=1", ControlErrorCode.Permission)]
    [InlineData(ControlOpcode.Configure, 0, "server 1.2.3.4", ControlErrorCode.Permission)]
    [InlineData((ControlOpcode)20, 0, "", ControlErrorCode.BadOpcode)]
    [InlineData(ControlOpcode.Unspecified, 0, "", ControlErrorCode.BadOpcode)]
    public void Request_Refused_AnswersErrorCode(ControlOpcode opcode, ushort associationId, string data, ControlErrorCode expected)
    {
        (ControlHeader header, byte[] payload) = Single(Ask(opcode, associationId, data));
        Assert.True(header.IsResponse);
        Assert.True(header.IsError);
        Assert.Equal(expected, header.ErrorCode);
        Assert.Equal(opcode, header.Opcode);
        Assert.Empty(payload);
    }

    [Fact]
    public void Respond_MalformedTruncatedOrResponse_DropsWithoutException()
    {
        var valid = new byte[12];
        ControlMessage.Write(ControlHeader.Request(ControlOpcode.ReadVariables, 1, 0, 0), [], valid);
        for (int length = 0; length < valid.Length; length++)
        {
            Assert.Empty(_engine.Control.Respond(valid.AsSpan(0, length), _clock.Now));
        }

        byte[] response = [.. valid];
        response[1] |= 0x80;
        Assert.Empty(_engine.Control.Respond(response, _clock.Now));

        byte[] fragment = [.. valid];
        fragment[1] |= 0x20;
        Assert.Empty(_engine.Control.Respond(fragment, _clock.Now));

        // A count beyond the data is answered as ntpd does: a bare CERR_BADFMT header, no larger than the request.
        byte[] lying = [.. valid];
        BinaryPrimitives.WriteUInt16BigEndian(lying.AsSpan(10), 400);
        byte[] badFormat = Assert.Single(_engine.Control.Respond(lying, _clock.Now));
        Assert.True(ControlMessage.TryRead(badFormat, out ControlHeader header, out _, out _, out _));
        Assert.Equal(ControlErrorCode.BadFormat, header.ErrorCode);
        Assert.Equal(ControlMessage.HeaderSize, badFormat.Length);

        Assert.Empty(_engine.Control.Respond(new byte[4000], _clock.Now));
        Assert.True(_engine.Control.Dropped >= 14);
    }

    [Fact]
    public void Respond_RandomInput_NeverThrows()
    {
        var random = new System.Random(1234);
        var datagram = new byte[600];
        for (int i = 0; i < 20000; i++)
        {
            random.NextBytes(datagram);
            datagram[0] = (byte)((datagram[0] & 0xF8) | 6);
            int length = random.Next(0, datagram.Length);
            _engine.Control.Respond(datagram.AsSpan(0, length), _clock.Now);
        }
    }

    [Fact]
    public void Respond_BeforeFirstSample_ReportsUnsynchronized()
    {
        var engine = new NtpEngine(new EngineConfiguration(
            [new LocalClockSettings(0, 10, 0, LocalClockSettings.DefaultReferenceId, false)], [], DisciplineEnabled: false), -24);
        engine.Start(_clock.Now, new EngineActions());
        var request = new byte[12];
        ControlMessage.Write(ControlHeader.Request(ControlOpcode.ReadStatus, 3, 0, 0), [], request);
        byte[] reply = Assert.Single(engine.Control.Respond(request, _clock.Now));
        Assert.True(ControlMessage.TryRead(reply, out ControlHeader header, out ReadOnlySpan<byte> data, out _, out _));
        Assert.Equal(0xC016, header.Status);
        Assert.Equal(new byte[] { 0x00, 0x01, 0x80, 0x11 }, data.ToArray());
    }
}
