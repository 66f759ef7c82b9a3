// The control protocols beyond READSTAT/READVAR basics, over a real engine with one local clock
// (stratum 10) that has taken its first sample: error codes for unknown opcodes, malformed counts
// and unknown clock variables; READCLOCK; the extended system variables ntpq's sysinfo/sysstats
// read; the ordered lists (reslist from the live restrict table, with hit counts); and the mode 7
// responder's rules (silent unless enabled, read-only, never monlist, never an answer longer than
// the request; kerninfo in struct info_kernel octets).
using System.Buffers.Binary;
using System.Text;
using Stratum.Core.Auth;
using Stratum.Core.Mode6;
using Stratum.Core.Mode7;
using Stratum.Engine.Access;
using Stratum.Engine.Associations;
using Stratum.Engine.Control;

namespace Stratum.Engine.Tests.Control;

public class ExtendedControlTests
{
    private readonly EngineTestClock _clock = new();
    private readonly NtpEngine _engine;

    public ExtendedControlTests()
    {
        _engine = new NtpEngine(new EngineConfiguration(
            [new LocalClockSettings(0, 10, 0, LocalClockSettings.DefaultReferenceId, false)], [], DisciplineEnabled: false,
            Keys: new KeyRing(new KeyTable([s_control]), [1u]), ControlKey: 1), -24);
        _engine.Control.Identity = new ControlIdentity("ntpd Stratum test", "x86_64", "Linux/6.1.0");
        var actions = new EngineActions();
        _engine.Start(_clock.Now, actions);
        _clock.Advance(1);
        actions.Clear();
        _engine.OnTimer(_clock.Now, actions);
    }

    private (ControlHeader Header, string Data) Ask(byte opcode, ushort associationId, string data = "")
    {
        byte[] payload = Encoding.ASCII.GetBytes(data);
        var request = new byte[ControlMessage.HeaderSize + ControlMessage.PaddedLength(payload.Length)];
        ControlMessage.Write(ControlHeader.Request((ControlOpcode)opcode, 9, associationId, (ushort)payload.Length), payload, request);
        byte[] reply = Assert.Single(_engine.Control.Respond(request, _clock.Now));
        Assert.True(ControlMessage.TryRead(reply, out ControlHeader header, out ReadOnlySpan<byte> body, out _, out _));
        return (header, Encoding.ASCII.GetString(body));
    }

    private static readonly SymmetricKey s_control = new(1, KeyType.Md5, "secretpw"u8, []);

    // The ordered lists answer only a request signed with the controlkey.
    private (ControlHeader Header, string Data) AskSigned(byte opcode, string data)
    {
        byte[] payload = Encoding.ASCII.GetBytes(data);
        var request = new byte[ControlMac.SignedLength(payload.Length, s_control)];
        ControlMessage.Write(ControlHeader.Request((ControlOpcode)opcode, 9, 0, (ushort)payload.Length), payload, request);
        ControlMac.Sign(s_control, request, payload.Length);
        byte[] reply = Assert.Single(_engine.Control.Respond(request, _clock.Now));
        Assert.True(ControlMessage.TryRead(reply, out ControlHeader header, out ReadOnlySpan<byte> body, out _, out _));
        return (header, Encoding.ASCII.GetString(body));
    }

    [Fact]
    public void DefaultSystemVariables_WithALeapFile_EndWithTaiLeapsecExpire()
    {
        // 3692217600 = 2017-01-01 00:00 UTC (TAI − UTC 37); expiry 3976214400 = 2026-01-01 00:00 UTC.
        string text = "#$ 3676924800\n#@ 3976214400\n3644697600 36\n3692217600 37\n";
        _engine.Sources.LeapTable = Core.Leap.LeapSecondsParser.Parse(text, "leap-seconds.list", 3_900_000_000).Table;
        (_, string data) = Ask((byte)ControlOpcode.ReadVariables, 0, "tai,leapsec,expire");
        Assert.Equal("tai=37, leapsec=201701010000, expire=202601010000", data);

        (_, string all) = Ask((byte)ControlOpcode.ReadVariables, 0);
        Assert.EndsWith("clk_wander=0.000, tai=37, leapsec=201701010000, expire=202601010000",
            all.Replace(",\r\n", ", ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void TimerTransmits_CountThePollsSent()
    {
        var remote = new RemoteAssociationSettings(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.1"), 123),
            AssociationMode.Client, true, false, false, false, false, 6, 10, 4, "192.0.2.1");
        var engine = new NtpEngine(new EngineConfiguration([], [], DisciplineEnabled: false, RemoteAssociations: [remote]), -24, new SeededRandom(3));
        var actions = new EngineActions();
        engine.Start(_clock.Now, actions);
        int sent = 0;
        for (int i = 0; i < 3; i++)
        {
            actions.Clear();
            engine.OnTimer(_clock.Now, actions);
            sent += actions.Packets.Count;
            _clock.Advance(2.1);
        }

        byte[] payload = Encoding.ASCII.GetBytes("timer_xmts");
        var query = new byte[ControlMessage.HeaderSize + ControlMessage.PaddedLength(payload.Length)];
        ControlMessage.Write(ControlHeader.Request(ControlOpcode.ReadVariables, 3, 0, (ushort)payload.Length), payload, query);
        Assert.True(ControlMessage.TryRead(Assert.Single(engine.Control.Respond(query, _clock.Now)), out _, out ReadOnlySpan<byte> body, out _, out _));
        Assert.True(sent >= 2, $"{sent} polls");
        Assert.Equal($"timer_xmts={sent}", Encoding.ASCII.GetString(body));
    }

    [Fact]
    public void DefaultSystemVariables_WithoutALeapFile_HaveNoLeapVariables()
    {
        (_, string all) = Ask((byte)ControlOpcode.ReadVariables, 0);
        Assert.DoesNotContain("tai=", all, StringComparison.Ordinal);
        Assert.EndsWith("clk_wander=0.000", all.Replace(",\r\n", ", ", StringComparison.Ordinal).TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void SysStatsVariables_CountRestrictedRateLimitedAndKodRequests()
    {
        var engine = new NtpEngine(new EngineConfiguration(
            [new LocalClockSettings(0, 10, 0, LocalClockSettings.DefaultReferenceId, false)], [], DisciplineEnabled: false,
            Access: Tests.Access.AccessTestConfig.Settings("restrict 192.0.2.1 noserve\nrestrict 192.0.2.2 limited kod\n")), -24);
        var actions = new EngineActions();
        engine.Start(_clock.Now, actions);
        var request = new byte[48];
        request[0] = 0x23;
        Core.Time.NtpTimestamp.FromParts(0xeeadf1fb, 1).Write(request.AsSpan(40));
        var reply = new byte[80];
        for (int i = 0; i < 2; i++)
        {
            engine.Server.Respond(request, Tests.Access.AccessTestConfig.Address("192.0.2.1"), _clock.Now.Real, _clock.Now.Mono, reply, out _);
        }

        for (int i = 0; i < 20; i++)
        {
            engine.Server.Respond(request, Tests.Access.AccessTestConfig.Address("192.0.2.2"), _clock.Now.Real, _clock.Now.Mono + (i * 50_000_000L), reply, out _);
        }

        byte[] payload = Encoding.ASCII.GetBytes("ss_restricted,ss_limited,ss_kodsent");
        var query = new byte[ControlMessage.HeaderSize + ControlMessage.PaddedLength(payload.Length)];
        ControlMessage.Write(ControlHeader.Request(ControlOpcode.ReadVariables, 3, 0, (ushort)payload.Length), payload, query);
        Assert.True(ControlMessage.TryRead(Assert.Single(engine.Control.Respond(query, _clock.Now)), out _, out ReadOnlySpan<byte> body, out _, out _));

        Stratum.Engine.Server.ServerCounters counters = engine.Server.Counters;
        Assert.Equal(2, counters.Restricted);
        Assert.True(counters.RateLimited > 0 && counters.KodSent >= 1, $"limited {counters.RateLimited}, KoD {counters.KodSent}");
        Assert.Equal($"ss_restricted=2, ss_limited={counters.RateLimited}, ss_kodsent={counters.KodSent}", Encoding.ASCII.GetString(body));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    [InlineData(30)]
    public void UnknownOpcode_IsAnsweredWithBadOpcode(byte opcode)
    {
        (ControlHeader header, _) = Ask(opcode, 0);
        Assert.True(header.IsError);
        Assert.Equal(ControlErrorCode.BadOpcode, header.ErrorCode);
        Assert.Equal(9, header.Sequence);
    }

    [Fact]
    public void CountBeyondData_IsAnsweredWithBadFormat()
    {
        var request = new byte[16];
        ControlMessage.Write(ControlHeader.Request(ControlOpcode.ReadVariables, 5, 0, 0), [], request);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(10), 100);
        byte[] reply = Assert.Single(_engine.Control.Respond(request, _clock.Now));
        Assert.True(ControlMessage.TryRead(reply, out ControlHeader header, out _, out _, out _));
        Assert.Equal(ControlErrorCode.BadFormat, header.ErrorCode);
    }

    [Fact]
    public void WriteVariables_WithoutAuthentication_IsRefused()
    {
        (ControlHeader header, _) = Ask((byte)ControlOpcode.WriteVariables, 0, "leap=1");
        Assert.Equal(ControlErrorCode.Permission, header.ErrorCode);
    }

    [Fact]
    public void ReadClock_LocalClock_ReturnsClockVariables()
    {
        (ControlHeader header, string data) = Ask((byte)ControlOpcode.ReadClock, 1, "device,stratum,refid,poll");
        Assert.False(header.IsError);
        Assert.Equal("device=\"Undisciplined local clock\", stratum=10, refid=LOCL, poll=1", data);
        Assert.Equal(ControlErrorCode.UnknownVariable, Ask((byte)ControlOpcode.ReadClock, 1, "nonsense").Header.ErrorCode);
        Assert.Equal(ControlErrorCode.BadAssociation, Ask((byte)ControlOpcode.ReadClock, 7).Header.ErrorCode);
    }

    [Fact]
    public void ReadVariables_SysInfoVariables_DescribeTheSystemPeer()
    {
        (_, string data) = Ask((byte)ControlOpcode.ReadVariables, 0, "peeradr,peermode,ss_uptime,ss_processed,kstflags");
        Assert.Equal("peeradr=127.127.1.0:123, peermode=3, ss_uptime=1, ss_processed=0,\r\nkstflags=\"\"", data);
    }

    [Fact]
    public void ReadOrderedList_Restrictions_ListsTheLiveTableWithHits()
    {
        Engine.Access.AccessControl access = _engine.Server.Access!;
        access.AddRestrictions(Access.AccessTestConfig.Parse("restrict default noquery\nrestrict 192.0.2.0 mask 255.255.255.0 ntpport nopeer\n").Restrictions);
        access.Match(Access.AccessTestConfig.Address("192.0.2.1", 123));
        access.Match(Access.AccessTestConfig.Address("192.0.2.1", 123));
        access.Match(Access.AccessTestConfig.Address("192.0.2.1", 4000));
        // A recompile (the host learns its addresses) keeps the counts.
        access.SetInterfaceAddresses([Access.AccessTestConfig.Address("127.0.0.1")]);
        (_, string data) = AskSigned((byte)ControlOpcode.ReadOrderedList, "addr_restrictions");
        Assert.Equal(
            "addr.0=0.0.0.0, flags.0=noquery, hits.0=1, mask.0=0.0.0.0, addr.1=::, flags.1=noquery, hits.1=0, mask.1=::, "
            + "addr.2=192.0.2.0, flags.2=ntpport nopeer, hits.2=2, mask.2=255.255.255.0, "
            + "addr.3=127.0.0.1, flags.3=ntpport interface ignore, hits.3=0, mask.3=255.255.255.255",
            data.Replace(",\r\n", ", ", StringComparison.Ordinal));
        Assert.Equal(ControlErrorCode.UnknownVariable, AskSigned((byte)ControlOpcode.ReadOrderedList, "other_list").Header.ErrorCode);
    }

    private IReadOnlyList<byte[]> AskMode7(Mode7RequestCode request, int length = Mode7Message.RequestLength)
    {
        var datagram = new byte[Mode7Message.RequestLength];
        Mode7Message.Write(Mode7Header.ForRequest(Mode7Implementation.Xntpd, request), [], datagram);
        return _engine.Control.Mode7.Respond(datagram.AsSpan(0, length), _clock.Now);
    }

    [Fact]
    public void Mode7_Disabled_AnswersNothing()
    {
        Assert.Empty(AskMode7(Mode7RequestCode.SystemInfo));
        Assert.Equal(1, _engine.Control.Mode7.Dropped);
    }

    [Fact]
    public void Mode7_SystemInfo_CarriesSystemVariables()
    {
        _engine.Control.Host.Mode7Enabled = true;
        byte[] reply = Assert.Single(AskMode7(Mode7RequestCode.SystemInfo));
        Assert.True(reply.Length <= Mode7Message.RequestLength);
        Assert.True(Mode7Message.TryRead(reply, out Mode7Header header, out ReadOnlySpan<byte> data, out _));
        Assert.Equal(Mode7ErrorCode.None, header.Error);
        Assert.True(SystemInfoItem.TryRead(data, out SystemInfoItem? info));
        Assert.Equal(11, info!.Stratum);
        Assert.Equal("127.127.1.0", info.Peer.ToString());
        Assert.Equal(0x7F7F0100u, info.ReferenceId);
    }

    [Fact]
    public void Mode7_GetKernel_CarriesTheKernelStateInInfoKernelLayout()
    {
        _engine.Control.Host.Mode7Enabled = true;
        _engine.Control.Host.ReadKernelLoop = () => new KernelLoopState(
            Offset: -12_345, Frequency: -212_992, MaxError: 16_500, EstimatedError: 2, Status: 0x2107, TimeConstant: 7,
            Precision: 1, Tolerance: 500 * 65_536, PpsFrequency: -196_608, PpsJitter: 1_500, PpsShift: 8, PpsStability: 6_554,
            PpsJitterCount: 2, PpsCalibrationCount: 40, PpsErrorCount: 1, PpsStabilityCount: 3);
        byte[] reply = Assert.Single(AskMode7(Mode7RequestCode.GetKernel));
        Assert.True(Mode7Message.TryRead(reply, out Mode7Header header, out ReadOnlySpan<byte> data, out _));
        Assert.Equal(Mode7ErrorCode.None, header.Error);
        Assert.Equal(1, header.ItemCount);
        Assert.Equal(KernelInfoItem.Size, header.ItemSize);
        byte[] expected =
        [
            0xFF, 0xFF, 0xCF, 0xC7, // offset −12345 (ns: STA_NANO)
            0xFF, 0xFC, 0xC0, 0x00, // freq −3.25 ppm × 2^16
            0x00, 0x00, 0x40, 0x74, // maxerror 16500 µs
            0x00, 0x00, 0x00, 0x02, // esterror 2 µs
            0x21, 0x07,             // status STA_PLL|PPSFREQ|PPSTIME|PPSSIGNAL|NANO
            0x00, 0x08,             // shift 8 (256 s calibration interval)
            0x00, 0x00, 0x00, 0x07, // constant 7
            0x00, 0x00, 0x00, 0x01, // precision 1 µs
            0x01, 0xF4, 0x00, 0x00, // tolerance 500 ppm × 2^16
            0xFF, 0xFD, 0x00, 0x00, // ppsfreq −3 ppm × 2^16
            0x00, 0x00, 0x05, 0xDC, // jitter 1500 ns
            0x00, 0x00, 0x19, 0x9A, // stabil 6554 (0.1 ppm × 2^16)
            0x00, 0x00, 0x00, 0x02, // jitcnt
            0x00, 0x00, 0x00, 0x28, // calcnt 40
            0x00, 0x00, 0x00, 0x01, // errcnt
            0x00, 0x00, 0x00, 0x03, // stbcnt
        ];
        Assert.Equal(expected, data.ToArray());
    }

    [Fact]
    public void Mode7_GetKernel_WithoutAKernelDiscipline_AnswersZeros()
    {
        _engine.Control.Host.Mode7Enabled = true;
        byte[] reply = Assert.Single(AskMode7(Mode7RequestCode.GetKernel));
        Assert.True(Mode7Message.TryRead(reply, out Mode7Header header, out ReadOnlySpan<byte> data, out _));
        Assert.Equal(Mode7ErrorCode.None, header.Error);
        Assert.Equal(KernelInfoItem.Size, header.ItemSize);
        Assert.Equal(new byte[KernelInfoItem.Size], data.ToArray());
    }

    [Theory]
    [InlineData(Mode7RequestCode.MonitorList)]
    [InlineData(Mode7RequestCode.MonitorList1)]
    [InlineData((Mode7RequestCode)10)]
    public void Mode7_MonlistAndWrites_AreRefusedWithAHeaderOnly(Mode7RequestCode request)
    {
        _engine.Control.Host.Mode7Enabled = true;
        byte[] reply = Assert.Single(AskMode7(request));
        Assert.Equal(Mode7Message.HeaderSize, reply.Length);
        Assert.True(Mode7Message.TryRead(reply, out Mode7Header header, out _, out _));
        Assert.Equal(Mode7ErrorCode.Request, header.Error);
    }

    [Fact]
    public void Mode7_AnswerLongerThanTheRequest_IsRefused()
    {
        _engine.Control.Host.Mode7Enabled = true;
        // A bare 8-octet header asking for an 88-octet sysinfo answer would amplify: refused.
        byte[] reply = Assert.Single(AskMode7(Mode7RequestCode.SystemInfo, Mode7Message.HeaderSize));
        Assert.True(Mode7Message.TryRead(reply, out Mode7Header header, out _, out _));
        Assert.Equal(Mode7ErrorCode.Request, header.Error);
        Assert.Equal(Mode7Message.HeaderSize, reply.Length);
    }

    [Fact]
    public void Mode7_Garbage_IsDroppedWithoutException()
    {
        _engine.Control.Host.Mode7Enabled = true;
        var random = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            var datagram = new byte[random.Next(0, 300)];
            random.NextBytes(datagram);
            if (datagram.Length > 0)
            {
                datagram[0] = (byte)((datagram[0] & 0xF8) | 7);
            }

            foreach (byte[] reply in _engine.Control.Mode7.Respond(datagram, _clock.Now))
            {
                Assert.True(reply.Length <= Math.Max(datagram.Length, Mode7Message.HeaderSize));
            }
        }
    }
}
