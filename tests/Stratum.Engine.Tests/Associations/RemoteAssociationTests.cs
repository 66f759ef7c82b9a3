// The client side of an association: requests, origin checks against spoofed and replayed replies,
// the on-wire offset and delay (RFC 5905 §8), reach, iburst, burst, back-off and Kiss-o'-Death.
using System.Net;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Associations;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Tests.Associations;

public class RemoteAssociationTests
{
    private readonly EngineTestClock _clock = new();

    private static RemoteAssociation Create(bool iburst = false, AssociationMode mode = AssociationMode.Client, sbyte minPoll = 6, bool burst = false) =>
        new(1, new RemoteAssociationSettings(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 123), mode, iburst, burst, false, false, false, minPoll, 10, 4, "10.0.0.1"),
            new SeededRandom(42), new SystemVariables(-24));

    /// <summary>A server whose clock is <paramref name="serverOffset"/> ahead, one-way delay <paramref name="oneWay"/>.</summary>
    private byte[] Reply(ReadOnlySpan<byte> request, double serverOffset, double oneWay, byte stratum = 2, LeapIndicator leap = LeapIndicator.NoWarning, string? kiss = null)
    {
        NtpHeader r = NtpHeader.Read(request);
        NtpTimestamp now = _clock.Now.Real;
        var reply = new NtpHeader(leap, 4, NtpMode.Server, kiss is null ? stratum : (byte)0, r.Poll, -20,
            NtpShort.FromSeconds(0.010), NtpShort.FromSeconds(0.020),
            kiss is null ? ReferenceId.FromAddress(IPAddress.Parse("192.0.2.1")) : ReferenceId.FromAscii(kiss),
            now, r.TransmitTime,
            now + NtpDuration.FromSeconds(oneWay + serverOffset),
            now + NtpDuration.FromSeconds(oneWay + serverOffset + 0.0001));
        var bytes = new byte[48];
        reply.Write(bytes);
        return bytes;
    }

    private int Poll(RemoteAssociation association, Span<byte> packet)
    {
        long wait = association.NextPollMono - _clock.Mono;
        if (wait > 0)
        {
            _clock.Advance(wait / 1e9);
        }

        return association.OnTimer(_clock.Now, packet);
    }

    [Fact]
    public void OnReply_ValidReply_GivesRfc5905OffsetAndDelay()
    {
        RemoteAssociation association = Create(iburst: true);
        association.Start(_clock.Now);
        var request = new byte[48];
        Assert.Equal(48, Poll(association, request));
        NtpHeader sent = NtpHeader.Read(request);
        Assert.Equal(NtpMode.Client, sent.Mode);
        Assert.Equal(4, sent.Version);
        Assert.True(sent.OriginTime.IsZero && sent.ReceiveTime.IsZero);

        byte[] reply = Reply(request, serverOffset: 0.050, oneWay: 0.002);
        _clock.Advance(0.0041);
        ReplyVerdict verdict = association.OnReply(reply, _clock.Now.Real, _clock.Mono / 1e9, -24, out ClockSample sample);

        Assert.Equal(ReplyVerdict.Accepted, verdict);
        Assert.Equal(0.050, sample.Offset, 6);
        Assert.Equal(0.004, sample.Delay, 6);
        Assert.Equal(2, sample.Stratum);
        Assert.Equal(0.010, sample.RootDelay, 4);
        Assert.Equal(1, association.Reach);
    }

    [Fact]
    public void OnReply_SpoofedOrigin_IsDroppedWithoutStateChange()
    {
        RemoteAssociation association = Create(iburst: true);
        association.Start(_clock.Now);
        var request = new byte[48];
        Poll(association, request);
        byte[] reply = Reply(request, 0, 0.001);
        new NtpTimestamp(12345).Write(reply.AsSpan(24)); // wrong origin
        Assert.Equal(ReplyVerdict.BogusOrigin, association.OnReply(reply, _clock.Now.Real, 0, -24, out _));
        Assert.Equal(0, association.Reach);
        Assert.Equal(1, association.DroppedReplies[(int)ReplyVerdict.BogusOrigin]);
    }

    [Fact]
    public void OnReply_ReplayedReply_IsDropped()
    {
        RemoteAssociation association = Create(iburst: true);
        association.Start(_clock.Now);
        var request = new byte[48];
        Poll(association, request);
        byte[] reply = Reply(request, 0, 0.001);
        Assert.Equal(ReplyVerdict.Accepted, association.OnReply(reply, _clock.Now.Real, 0, -24, out _));
        Assert.Equal(ReplyVerdict.Duplicate, association.OnReply(reply, _clock.Now.Real, 0, -24, out _));
    }

    [Fact]
    public void OnReply_RequestModePacket_IsWrongMode()
    {
        RemoteAssociation association = Create(iburst: true);
        association.Start(_clock.Now);
        var request = new byte[48];
        Poll(association, request);
        Assert.Equal(ReplyVerdict.WrongMode, association.OnReply(request, _clock.Now.Real, 0, -24, out _));
    }

    [Fact]
    public void Kiss_DenyWithMatchingOrigin_StopsAssociation()
    {
        RemoteAssociation association = Create(iburst: true);
        association.Start(_clock.Now);
        var request = new byte[48];
        Poll(association, request);
        Assert.Equal(ReplyVerdict.KissOfDeath, association.OnReply(Reply(request, 0, 0.001, kiss: "DENY"), _clock.Now.Real, 0, -24, out _));
        Assert.Equal(KissCode.Deny, association.StoppedBy);
        Assert.Equal(long.MaxValue, association.NextPollMono);
        Assert.Equal(0, association.OnTimer(_clock.Now, request));
    }

    [Fact]
    public void Kiss_DenyWithWrongOrigin_IsIgnored()
    {
        RemoteAssociation association = Create(iburst: true);
        association.Start(_clock.Now);
        var request = new byte[48];
        Poll(association, request);
        byte[] kiss = Reply(request, 0, 0.001, kiss: "DENY");
        new NtpTimestamp(99).Write(kiss.AsSpan(24));
        Assert.Equal(ReplyVerdict.BogusOrigin, association.OnReply(kiss, _clock.Now.Real, 0, -24, out _));
        Assert.Null(association.StoppedBy);
    }

    [Fact]
    public void Kiss_Rate_RaisesPoll()
    {
        RemoteAssociation association = Create(iburst: false);
        association.Start(_clock.Now);
        var request = new byte[48];
        Poll(association, request);
        Assert.Equal(ReplyVerdict.KissOfDeath, association.OnReply(Reply(request, 0, 0.001, kiss: "RATE"), _clock.Now.Real, 0, -24, out _));
        Assert.Equal(7, association.HostPoll);
        Assert.Null(association.StoppedBy);
    }

    [Fact]
    public void Iburst_Unreachable_SendsEightPacketsTwoSecondsApart()
    {
        RemoteAssociation association = Create(iburst: true);
        association.Start(_clock.Now);
        var request = new byte[48];
        long start = _clock.Mono;
        var sendTimes = new List<double>();
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(48, Poll(association, request));
            sendTimes.Add((_clock.Mono - start) / 1e9);
            association.OnReply(Reply(request, 0, 0.001), _clock.Now.Real, 0, -24, out _);
        }

        Assert.Equal([0, 2, 4, 6, 8, 10, 12, 14], sendTimes);
        Assert.Equal(1, association.Reach);
        // After the burst the next poll is about 2^6 s later.
        Assert.InRange((association.NextPollMono - _clock.Mono) / 1e9, 60, 64);
    }

    [Fact]
    public void Burst_WithoutIburst_EightPacketsTwoSecondsApartAtEveryPollOnceReachable()
    {
        // ntpd's `burst`: while the server is reachable each poll is eight packets 2 s apart; while it is
        // not (here: the very first poll, without iburst) a poll is one packet.
        RemoteAssociation association = Create(iburst: false, burst: true);
        association.Start(_clock.Now);
        var request = new byte[48];
        Assert.Equal(48, Poll(association, request));
        Assert.Equal(1, association.PacketsSent);
        Assert.InRange((association.NextPollMono - _clock.Mono) / 1e9, 60, 64);
        Assert.Equal(ReplyVerdict.Accepted, association.OnReply(Reply(request, 0, 0.001), _clock.Now.Real, 0, -24, out _));

        for (int poll = 0; poll < 3; poll++)
        {
            long start = association.NextPollMono;
            var sendTimes = new List<double>();
            for (int i = 0; i < 8; i++)
            {
                Assert.Equal(48, Poll(association, request));
                sendTimes.Add((_clock.Mono - start) / 1e9);
                Assert.Equal(ReplyVerdict.Accepted, association.OnReply(Reply(request, 0, 0.001), _clock.Now.Real, 0, -24, out _));
            }

            Assert.Equal([0, 2, 4, 6, 8, 10, 12, 14], sendTimes);
            // Then the poll interval (2^6 s less up to 1/16 of jitter) until the next burst.
            Assert.InRange((association.NextPollMono - _clock.Mono) / 1e9, 60, 64);
            Assert.Equal(0, association.OnTimer(_clock.Now, request));
        }

        Assert.Equal(1 + (3 * 8), association.PacketsSent);
    }

    [Fact]
    public void Burst_ServerStopsAnswering_OnePacketPerPollOnceUnreachable()
    {
        RemoteAssociation association = Create(iburst: false, burst: true);
        association.Start(_clock.Now);
        var request = new byte[48];
        Poll(association, request);
        association.OnReply(Reply(request, 0, 0.001), _clock.Now.Real, 0, -24, out _);

        // No more replies: bursts go on while the reach register still holds the last reply's bit (it
        // shifts once per poll: seven more polls)...
        var packetsPerPoll = new List<int>();
        for (int poll = 0; poll < 10; poll++)
        {
            long sentBefore = association.PacketsSent;
            Poll(association, request);
            for (int i = 0; i < 8 && association.NextPollMono - _clock.Mono <= 2 * LoopTime.NanosecondsPerSecond; i++)
            {
                Poll(association, request);
            }

            packetsPerPoll.Add((int)(association.PacketsSent - sentBefore));
        }

        // ...then, unreachable, a poll is a single packet.
        Assert.Equal([8, 8, 8, 8, 8, 8, 8, 1, 1, 1], packetsPerPoll);
        Assert.Equal(0, association.Reach);
        // Nine polls answered by nothing, counted when the tenth began (a burst counts once).
        Assert.Equal(9, association.UnansweredPolls);
        association.OnReply(Reply(request, 0, 0.001), _clock.Now.Real, 0, -24, out _);
        Assert.Equal(0, association.UnansweredPolls);
    }

    [Fact]
    public void Unreachable_ManyPolls_BacksOffTowardMaxPoll()
    {
        RemoteAssociation association = Create(iburst: false);
        association.Start(_clock.Now);
        var request = new byte[48];
        for (int i = 0; i < 12; i++)
        {
            Poll(association, request);
        }

        Assert.Equal(0, association.Reach);
        Assert.True(association.HostPoll > 6, $"poll {association.HostPoll}");
    }

    [Fact]
    public void Peer_SendsSymmetricActiveWithSystemVariables()
    {
        RemoteAssociation association = Create(mode: AssociationMode.SymmetricActive, iburst: true);
        association.Start(_clock.Now);
        var request = new byte[48];
        Poll(association, request);
        NtpHeader sent = NtpHeader.Read(request);
        Assert.Equal(NtpMode.SymmetricActive, sent.Mode);
        Assert.Equal(-24, sent.Precision);
        Assert.Equal("INIT", sent.ReferenceId.ToAscii());
    }

    // A symmetric peer's packet: mode 1, origin and transmit as given.
    private byte[] PeerPacket(NtpTimestamp origin, NtpTimestamp transmit)
    {
        NtpTimestamp now = _clock.Now.Real;
        var packet = new NtpHeader(LeapIndicator.NoWarning, 4, NtpMode.SymmetricActive, 2, 6, -20,
            NtpShort.FromSeconds(0.010), NtpShort.FromSeconds(0.020), ReferenceId.FromAddress(IPAddress.Parse("192.0.2.1")),
            now, origin, now, transmit);
        var bytes = new byte[48];
        packet.Write(bytes);
        return bytes;
    }

    private NtpTimestamp Echoed(RemoteAssociation association)
    {
        var request = new byte[48];
        Assert.Equal(48, Poll(association, request));
        return NtpHeader.Read(request).OriginTime;
    }

    [Fact]
    public void Peer_ABlindSpoofersPacket_DoesNotChangeWhatWeEcho_OnceAnExchangeSucceeded()
    {
        RemoteAssociation association = Create(mode: AssociationMode.SymmetricActive, iburst: true);
        association.Start(_clock.Now);
        var request = new byte[48];
        Poll(association, request);
        NtpTimestamp ours = NtpHeader.Read(request).TransmitTime;

        // The real peer answers our packet: an exchange, and its transmit time is echoed next.
        var peerTransmit = new NtpTimestamp(0xE000_0000_0000_1000);
        _clock.Advance(0.001);
        Assert.Equal(ReplyVerdict.Accepted, association.OnReply(PeerPacket(ours, peerTransmit), _clock.Now.Real, _clock.Now.MonoSeconds, -24, out _));
        Assert.NotEqual(0, association.Reach);

        // A spoofer who cannot see our packets: a zero origin, or one it made up. Neither is echoed.
        Assert.Equal(ReplyVerdict.BogusOrigin, association.OnReply(PeerPacket(NtpTimestamp.Zero, new NtpTimestamp(0xE000_0000_0000_2000)), _clock.Now.Real, _clock.Now.MonoSeconds, -24, out _));
        Assert.Equal(ReplyVerdict.BogusOrigin, association.OnReply(PeerPacket(new NtpTimestamp(12345), new NtpTimestamp(0xE000_0000_0000_3000)), _clock.Now.Real, _clock.Now.MonoSeconds, -24, out _));
        Assert.Equal(peerTransmit, Echoed(association));
    }

    [Fact]
    public void Peer_ItsFirstPacket_AndOneThatCrossedOurs_AreEchoed()
    {
        RemoteAssociation association = Create(mode: AssociationMode.SymmetricActive, iburst: true);
        association.Start(_clock.Now);

        // Before any exchange the peer has never heard from us: a zero origin is its first packet.
        var first = new NtpTimestamp(0xE000_0000_0000_1000);
        Assert.Equal(ReplyVerdict.BogusOrigin, association.OnReply(PeerPacket(NtpTimestamp.Zero, first), _clock.Now.Real, _clock.Now.MonoSeconds, -24, out _));
        var request = new byte[48];
        Poll(association, request);
        NtpTimestamp earlier = NtpHeader.Read(request).TransmitTime;
        Assert.Equal(first, NtpHeader.Read(request).OriginTime);

        // We poll again; the peer's next packet echoes our earlier one (they crossed): still the peer's.
        Assert.Equal(48, Poll(association, request));
        var crossed = new NtpTimestamp(0xE000_0000_0000_2000);
        Assert.Equal(ReplyVerdict.BogusOrigin, association.OnReply(PeerPacket(earlier, crossed), _clock.Now.Real, _clock.Now.MonoSeconds, -24, out _));
        Assert.Equal(crossed, Echoed(association));
    }
}
