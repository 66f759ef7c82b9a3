// ntpd's `unreach` and `flash` peer variables: unreach counts the polls that find the reach register
// empty and starts again at a poll that finds it not (not for pool associations) or when selection
// keeps the source (ntp_proto.c transmit, clock_select); the packet half of flash says which check
// the last packet failed (TEST1 duplicate, TEST2 bogus origin, TEST3 zero timestamp, TEST5 MAC,
// TEST6 unsynchronized server), the peer half which fitness tests fail now (TEST10 stratum, TEST11
// distance, TEST12 loop, TEST13 unreachable or noselect), and the control protocols show both.
using System.Net;
using System.Text;
using Stratum.Core.Mode6;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Associations;
using Stratum.Engine.Discipline;
using Stratum.Engine.Selection;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Tests.Associations;

public class FlashAndUnreachTests
{
    private readonly EngineTestClock _clock = new();

    private static RemoteAssociationSettings Settings(string address = "10.0.0.1", bool iburst = false) =>
        new(new IPEndPoint(IPAddress.Parse(address), 123), AssociationMode.Client, iburst, false, false, false, false, 6, 10, 4, address);

    private static RemoteAssociation Create(RemoteAssociationSettings settings) => new(1, settings, new SeededRandom(42), new SystemVariables(-24));

    private byte[] Reply(ReadOnlySpan<byte> request, LeapIndicator leap = LeapIndicator.NoWarning, byte stratum = 2, string? kiss = null,
        bool zeroTransmit = false, bool zeroReceive = false)
    {
        NtpHeader r = NtpHeader.Read(request);
        NtpTimestamp now = _clock.Now.Real;
        var reply = new NtpHeader(leap, 4, NtpMode.Server, kiss is null ? stratum : (byte)0, r.Poll, -20,
            NtpShort.FromSeconds(0.010), NtpShort.FromSeconds(0.020),
            kiss is null ? ReferenceId.FromAddress(IPAddress.Parse("192.0.2.1")) : ReferenceId.FromAscii(kiss),
            now, r.TransmitTime,
            zeroReceive ? NtpTimestamp.Zero : now + NtpDuration.FromSeconds(0.001),
            zeroTransmit ? NtpTimestamp.Zero : now + NtpDuration.FromSeconds(0.0011));
        var bytes = new byte[48];
        reply.Write(bytes);
        return bytes;
    }

    private byte[] Poll(RemoteAssociation association)
    {
        long wait = association.NextPollMono - _clock.Mono;
        if (wait > 0)
        {
            _clock.Advance(wait / 1e9);
        }

        var request = new byte[48];
        Assert.Equal(48, association.OnTimer(_clock.Now, request));
        return request;
    }

    private ReplyVerdict Answer(RemoteAssociation association, byte[] reply)
    {
        _clock.Advance(0.002);
        return association.OnReply(reply, _clock.Now.Real, _clock.Mono / 1e9, -24, out _);
    }

    [Fact]
    public void Unreach_CountsPollsWhileTheReachRegisterIsEmpty_AndRestartsAtAPollThatFindsItNot()
    {
        RemoteAssociation association = Create(Settings());
        association.Start(_clock.Now);
        Assert.Equal(0, association.Unreach);
        for (int poll = 1; poll <= 3; poll++)
        {
            Poll(association);
            Assert.Equal(poll, association.Unreach);
        }

        // A reply sets reach bit 0 but leaves unreach alone (ntpd's process_packet does not touch it) ...
        Assert.Equal(ReplyVerdict.Accepted, Answer(association, Reply(Poll(association))));
        Assert.Equal(4, association.Unreach);

        // ... the next poll finds reach 1 → 2 and starts the count again; it stays 0 while bit 0 is
        // shifted through the register, and counts again once the eighth silent poll empties it.
        Poll(association);
        Assert.Equal(0, association.Unreach);
        for (int silent = 2; silent <= 7; silent++)
        {
            Poll(association);
            Assert.Equal(0, association.Unreach);
        }

        Poll(association);
        Assert.Equal(0, association.Reach);
        Assert.Equal(1, association.Unreach);
    }

    [Fact]
    public void Unreach_PoolAssociation_KeepsCountingUntilSelectionKeepsIt()
    {
        RemoteAssociation association = Create(Settings() with { Pool = "pool.example.org" });
        association.Start(_clock.Now);
        Assert.Equal(ReplyVerdict.Accepted, Answer(association, Reply(Poll(association))));
        Poll(association);
        Assert.NotEqual(0, association.Reach);
        Assert.Equal(2, association.Unreach);
        association.ResetUnreach();
        Assert.Equal(0, association.Unreach);
    }

    [Fact]
    public void PacketTests_Accepted_AreClear()
    {
        RemoteAssociation association = Create(Settings());
        association.Start(_clock.Now);
        Assert.Equal(ReplyVerdict.Accepted, Answer(association, Reply(Poll(association))));
        Assert.Equal(FlashTest.None, association.PacketTests);
    }

    [Fact]
    public void PacketTests_Duplicate_IsTest1()
    {
        RemoteAssociation association = Create(Settings());
        association.Start(_clock.Now);
        byte[] reply = Reply(Poll(association));
        Assert.Equal(ReplyVerdict.Accepted, Answer(association, reply));
        Assert.Equal(ReplyVerdict.Duplicate, Answer(association, reply));
        Assert.Equal(FlashTest.Duplicate, association.PacketTests);
        Assert.Equal(0x0001, (ushort)association.PacketTests);
    }

    [Fact]
    public void PacketTests_BogusOrigin_IsTest2_AndAPacketStoppedAtTheModeTestLeavesThem()
    {
        RemoteAssociation association = Create(Settings());
        association.Start(_clock.Now);
        byte[] request = Poll(association);
        byte[] reply = Reply(request);
        new NtpTimestamp(12345).Write(reply.AsSpan(24));
        Assert.Equal(ReplyVerdict.BogusOrigin, Answer(association, reply));
        Assert.Equal(FlashTest.Bogus, association.PacketTests);

        Assert.Equal(ReplyVerdict.WrongMode, Answer(association, request));
        Assert.Equal(ReplyVerdict.Malformed, Answer(association, new byte[10]));
        Assert.Equal(FlashTest.Bogus, association.PacketTests);
    }

    [Fact]
    public void PacketTests_ZeroTransmitTimestamp_IsTest3()
    {
        RemoteAssociation association = Create(Settings());
        association.Start(_clock.Now);
        Assert.Equal(ReplyVerdict.Unsynchronized, Answer(association, Reply(Poll(association), zeroTransmit: true)));
        Assert.Equal(FlashTest.Unsynchronized, association.PacketTests);
        Assert.Equal(0x0004, (ushort)association.PacketTests);
    }

    [Fact]
    public void PacketTests_MissingMacOfTheConfiguredKey_IsTest5()
    {
        RemoteAssociation association = Create(Settings() with { KeyId = 5 });
        association.Start(_clock.Now);
        Assert.Equal(ReplyVerdict.AuthenticationFailed, Answer(association, Reply(Poll(association))));
        Assert.Equal(FlashTest.Authentication, association.PacketTests);
        Assert.Equal(0x0010, (ushort)association.PacketTests);
    }

    [Fact]
    public void PacketTests_UnsynchronizedServer_IsTest6_WithAZeroReceiveTimestampAlsoTest3()
    {
        RemoteAssociation association = Create(Settings());
        association.Start(_clock.Now);
        Assert.Equal(ReplyVerdict.Unsynchronized, Answer(association, Reply(Poll(association), leap: LeapIndicator.Unsynchronized)));
        Assert.Equal(FlashTest.Stratum, association.PacketTests);

        Assert.Equal(ReplyVerdict.Unsynchronized, Answer(association, Reply(Poll(association), stratum: 16, zeroReceive: true)));
        Assert.Equal(0x0024, (ushort)association.PacketTests);

        // As in ntpd, such replies do not make the server reachable.
        Assert.Equal(0, association.Reach);
        Assert.False(association.IsReachable);
        Assert.Equal(ReplyVerdict.Accepted, Answer(association, Reply(Poll(association))));
        Assert.Equal(1, association.Reach & 1);
    }

    [Fact]
    public void PacketTests_RateKiss_ClearsThem()
    {
        RemoteAssociation association = Create(Settings());
        association.Start(_clock.Now);
        Assert.Equal(ReplyVerdict.Unsynchronized, Answer(association, Reply(Poll(association), leap: LeapIndicator.Unsynchronized)));
        Assert.Equal(ReplyVerdict.KissOfDeath, Answer(association, Reply(Poll(association), leap: LeapIndicator.Unsynchronized, kiss: "RATE")));
        Assert.Equal(FlashTest.None, association.PacketTests);
    }

    private static SourceManager Manager(params RemoteAssociationSettings[] settings) =>
        new(settings.Select((s, i) => (i + 1, s)).ToList(), new SystemVariables(-24), new SeededRandom(1), -24, SelectionParameters.Default,
            DisciplineParameters.Default, driftFrequency: null, disciplineClock: false);

    /// <summary>Runs <paramref name="manager"/> for <paramref name="seconds"/>; servers marked true answer
    /// with a good stratum 2 reply (refid GPS), 100 µs each way.</summary>
    private void Run(SourceManager manager, bool[] answering, double seconds)
    {
        var actions = new EngineActions();
        long end = _clock.Mono + (long)(seconds * 1e9);
        manager.Start(_clock.Now);
        while (_clock.Mono < end)
        {
            _clock.Advance(Math.Max(0, manager.NextDeadline() - _clock.Mono) / 1e9);
            actions.Clear();
            manager.OnTimer(_clock.Now, actions);
            foreach ((int id, byte[] request) in actions.Packets.Select(p => (p.AssociationId, actions.PacketBytes(p).ToArray())).ToList())
            {
                if (!answering[id - 1])
                {
                    continue;
                }

                NtpHeader r = NtpHeader.Read(request);
                NtpTimestamp now = _clock.Now.Real;
                var reply = new byte[48];
                new NtpHeader(LeapIndicator.NoWarning, 4, NtpMode.Server, 2, r.Poll, -20, NtpShort.FromSeconds(0.0001), NtpShort.FromSeconds(0.0001),
                    ReferenceId.FromAscii("GPS"), now, r.TransmitTime, now + NtpDuration.FromSeconds(0.0001),
                    now + NtpDuration.FromSeconds(0.00011)).Write(reply);
                _clock.Advance(0.00021);
                actions.Clear();
                manager.OnReply(id, reply, _clock.Now.Real, _clock.Now, actions);
            }
        }
    }

    [Fact]
    public void PeerTests_NeverReached_AreStratumDistanceAndUnreachable()
    {
        SourceManager manager = Manager(Settings());
        Run(manager, [false], 200);
        Assert.Equal(0x1600, (ushort)manager.PeerTests(manager.Sources[0], _clock.Mono / 1e9));
        Assert.True(manager.Sources[0].Association.Unreach >= 2);
    }

    [Fact]
    public void PeerTests_SynchronizedSurvivor_AreClear_AndSelectionResetsUnreach()
    {
        SourceManager manager = Manager(Settings(iburst: true) with { Pool = "pool.example.org" });
        Run(manager, [true], 300);
        RemoteSource source = manager.Sources[0];
        Assert.True(source.IsSurvivor);
        Assert.Equal(FlashTest.None, manager.PeerTests(source, _clock.Mono / 1e9));
        Assert.Equal(0, source.Association.Unreach);
    }

    [Fact]
    public void PeerTests_NoSelect_IsTest13EvenWhenReachable()
    {
        SourceManager manager = Manager(Settings(iburst: true) with { NoSelect = true });
        Run(manager, [true], 100);
        Assert.True(manager.Sources[0].Association.IsReachable);
        Assert.Equal(FlashTest.PeerUnreachable, manager.PeerTests(manager.Sources[0], _clock.Mono / 1e9));
    }

    [Fact]
    public void PeerTests_ServerSynchronizedToUs_IsTest12()
    {
        SourceManager manager = Manager(Settings(iburst: true));
        manager.LocalReferenceIds = new HashSet<ReferenceId> { ReferenceId.FromAscii("GPS") };
        Run(manager, [true], 100);
        Assert.Equal(FlashTest.PeerLoop, manager.PeerTests(manager.Sources[0], _clock.Mono / 1e9));
    }

    [Fact]
    public void PeerVariables_ShowUnreachHeadwayAndFlash()
    {
        var engine = new NtpEngine(new EngineConfiguration([], [], DisciplineEnabled: false, RemoteAssociations: [Settings("192.0.2.1")]), -24,
            new SeededRandom(3));
        var actions = new EngineActions();
        engine.Start(_clock.Now, actions);
        for (int i = 0; i < 200; i++)
        {
            actions.Clear();
            engine.OnTimer(_clock.Now, actions);
            _clock.Advance(1);
        }

        int unreach = engine.Sources.Sources[0].Association.Unreach;
        Assert.True(unreach >= 2, $"unreach {unreach}");
        byte[] payload = Encoding.ASCII.GetBytes("unreach,headway,flash");
        var query = new byte[ControlMessage.HeaderSize + ControlMessage.PaddedLength(payload.Length)];
        ControlMessage.Write(ControlHeader.Request(ControlOpcode.ReadVariables, 3, (ushort)engine.Sources.Sources[0].Id, (ushort)payload.Length),
            payload, query);
        Assert.True(ControlMessage.TryRead(Assert.Single(engine.Control.Respond(query, _clock.Now)), out _, out ReadOnlySpan<byte> body, out _, out _));
        Assert.Equal($"unreach={unreach}, headway=0, flash=0x1600", Encoding.ASCII.GetString(body));
    }
}
