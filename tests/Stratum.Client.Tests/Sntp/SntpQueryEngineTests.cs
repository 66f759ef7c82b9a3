// The query engine's reply checks and schedule: origin check (bogus, duplicate), kiss codes,
// unsynchronized and insane servers, unknown sources, timeouts turning into empty slots, and the
// one-timeout gap ntpdate keeps between requests to one server; the authentication delay added to
// T1 of signed requests only.
using System.Net;
using Stratum.Client.Sntp;
using Stratum.Core.Time;
using Stratum.Core.Wire;

namespace Stratum.Client.Tests.Sntp;

public class SntpQueryEngineTests
{
    private const long Second = 1_000_000_000;
    private const long RealStart = 1_700_725_200L * Second;

    private static readonly IPEndPoint s_server = new(IPAddress.Parse("127.0.0.20"), 123);

    private static SntpQueryEngine NewEngine(int samples = 1, params IPEndPoint[] servers) =>
        new(servers.Length == 0 ? [s_server] : servers, new SntpQueryOptions { Samples = samples, TimeoutNanoseconds = 2 * Second }, startMonotonic: 0);

    /// <summary>Sends the due request to server 0 at monotonic <paramref name="now"/> and returns its header.</summary>
    private static NtpHeader Transmit(SntpQueryEngine engine, long now, ulong cookie = 0x1234_5678_9abc_def0)
    {
        int index = engine.NextTransmit(now);
        Assert.Equal(0, index);
        Span<byte> buffer = stackalloc byte[NtpHeader.Size];
        return engine.PrepareRequest(index, cookie, RealStart + now, now, buffer);
    }

    private static byte[] Reply(
        NtpTimestamp origin,
        byte stratum = 2,
        LeapIndicator leap = LeapIndicator.NoWarning,
        NtpMode mode = NtpMode.Server,
        double serverAheadSeconds = 0.0,
        long sentAt = 0,
        ReferenceId? referenceId = null,
        bool zeroReceive = false)
    {
        var receive = NtpTimestamp.FromUnixNanoseconds(RealStart + sentAt + (Second / 10_000) + (long)(serverAheadSeconds * Second));
        var header = new NtpHeader(
            leap, 4, mode, stratum, 6, -20, new NtpShort(0x100), new NtpShort(0x200),
            referenceId ?? new ReferenceId(0x0a000001),
            receive - NtpDuration.FromSeconds(64),
            origin,
            zeroReceive ? NtpTimestamp.Zero : receive,
            receive + NtpDuration.FromSeconds(0.00001));
        var bytes = new byte[NtpHeader.Size];
        header.Write(bytes);
        return bytes;
    }

    private static long ReceiveAt(long sentAt) => RealStart + sentAt + (Second / 5000) + 10_000;

    [Fact]
    public void PrepareRequest_WritesClientModeRequestWithCookie()
    {
        var engine = NewEngine();
        var request = Transmit(engine, 0);

        Assert.Equal(NtpMode.Client, request.Mode);
        Assert.Equal(4, request.Version);
        Assert.Equal(LeapIndicator.Unsynchronized, request.Leap);
        Assert.Equal(new NtpTimestamp(0x1234_5678_9abc_def0), request.TransmitTime);
        Assert.True(request.OriginTime.IsZero);
        Assert.Equal(1, engine.Servers[0].TransmitCount);
        Assert.Equal(NtpTimestamp.FromUnixNanoseconds(RealStart), engine.Servers[0].LastTransmitTime);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PrepareRequest_AuthenticationDelay_IsAddedToT1OnlyWithAKey(bool withKey)
    {
        Assert.True(Stratum.Core.Auth.KeyFileParser.Parse("7 MD5 secret\n", "ntp.keys").Keys.TryGetKey(7, out Stratum.Core.Auth.SymmetricKey? key));
        var options = new SntpQueryOptions { Samples = 1, Key = withKey ? key : null, AuthenticationDelayFraction = 0x0010_0000 };
        var engine = new SntpQueryEngine([s_server], options, startMonotonic: 0);
        var buffer = new byte[engine.RequestLength];

        var request = engine.PrepareRequest(engine.NextTransmit(0), 0x1234_5678_9abc_def0, RealStart, 0, buffer);

        NtpTimestamp reading = NtpTimestamp.FromUnixNanoseconds(RealStart);
        NtpTimestamp expected = withKey ? new NtpTimestamp(reading.Raw + 0x0010_0000) : reading;
        Assert.Equal(expected, engine.Servers[0].LastTransmitTime);
        // The wire carries the cookie either way; T1 never leaves the host.
        Assert.Equal(new NtpTimestamp(0x1234_5678_9abc_def0), request.TransmitTime);
    }

    [Fact]
    public void OnDatagram_MatchingReply_IsAcceptedWithOffset()
    {
        var engine = NewEngine();
        var request = Transmit(engine, 0);

        var reply = engine.OnDatagram(Reply(request.TransmitTime, serverAheadSeconds: 0.5), s_server, ReceiveAt(0), Second / 1000);

        Assert.Equal(SntpReplyStatus.Accepted, reply.Status);
        Assert.NotNull(reply.Sample);
        Assert.Equal(0.5, reply.Sample.Value.Offset.TotalSeconds, 4);
        Assert.True(engine.IsComplete);
    }

    [Fact]
    public void OnDatagram_WrongOrigin_IsRejectedAndRecordsNothing()
    {
        var engine = NewEngine();
        var request = Transmit(engine, 0);

        var reply = engine.OnDatagram(Reply(request.TransmitTime + NtpDuration.FromSeconds(1)), s_server, ReceiveAt(0), 1000);

        Assert.Equal(SntpReplyStatus.OriginMismatch, reply.Status);
        Assert.Empty(engine.Servers[0].Samples);
        Assert.Null(engine.Servers[0].LastReply);
        Assert.False(engine.IsComplete);
    }

    [Fact]
    public void OnDatagram_DuplicateOfAcceptedReply_IsRejected()
    {
        var engine = NewEngine(samples: 2);
        var request = Transmit(engine, 0);
        byte[] reply = Reply(request.TransmitTime);

        Assert.Equal(SntpReplyStatus.Accepted, engine.OnDatagram(reply, s_server, ReceiveAt(0), 1000).Status);
        Assert.Equal(SntpReplyStatus.OriginMismatch, engine.OnDatagram(reply, s_server, ReceiveAt(0), 2000).Status);
        Assert.Single(engine.Servers[0].Samples);
    }

    [Fact]
    public void OnDatagram_FromAnotherPort_IsUnknownSource()
    {
        var engine = NewEngine();
        var request = Transmit(engine, 0);

        var reply = engine.OnDatagram(Reply(request.TransmitTime), new IPEndPoint(s_server.Address, 1123), ReceiveAt(0), 1000);

        Assert.Equal(SntpReplyStatus.UnknownSource, reply.Status);
    }

    [Theory]
    [InlineData(NtpMode.Client)]
    [InlineData(NtpMode.Broadcast)]
    public void OnDatagram_NotServerMode_IsRejected(NtpMode mode)
    {
        var engine = NewEngine();
        var request = Transmit(engine, 0);

        var reply = engine.OnDatagram(Reply(request.TransmitTime, mode: mode), s_server, ReceiveAt(0), 1000);

        Assert.Equal(SntpReplyStatus.UnexpectedMode, reply.Status);
    }

    [Fact]
    public void OnDatagram_Stratum16_IsRejectedAtReceive()
    {
        var engine = NewEngine();
        var request = Transmit(engine, 0);

        var reply = engine.OnDatagram(Reply(request.TransmitTime, stratum: 16), s_server, ReceiveAt(0), 1000);

        Assert.Equal(SntpReplyStatus.StratumOutOfRange, reply.Status);
    }

    [Fact]
    public void OnDatagram_TooShort_IsMalformed()
    {
        var engine = NewEngine();
        Transmit(engine, 0);

        var reply = engine.OnDatagram(new byte[20], s_server, ReceiveAt(0), 1000);

        Assert.Equal(SntpReplyStatus.Malformed, reply.Status);
        Assert.Equal(PacketError.TooShort, reply.ParseError);
    }

    [Theory]
    [InlineData("RATE")]
    [InlineData("DENY")]
    [InlineData("RSTR")]
    public void OnDatagram_KissOfDeath_CompletesServerWithStratum16(string code)
    {
        var engine = NewEngine(samples: 4);
        var request = Transmit(engine, 0);

        var reply = engine.OnDatagram(
            Reply(request.TransmitTime, stratum: 0, leap: LeapIndicator.Unsynchronized, referenceId: ReferenceId.FromAscii(code)),
            s_server, ReceiveAt(0), 1000);

        Assert.Equal(SntpReplyStatus.KissOfDeath, reply.Status);
        Assert.Equal(new KissCode(ReferenceId.FromAscii(code)), reply.Kiss);
        Assert.True(engine.IsComplete);
        Assert.Equal(16, engine.Servers[0].Stratum);
        Assert.Equal(-1, engine.NextTransmit(100 * Second));
    }

    [Fact]
    public void OnDatagram_KissWithWrongOrigin_IsIgnored()
    {
        var engine = NewEngine();
        Transmit(engine, 0);

        var reply = engine.OnDatagram(Reply(new NtpTimestamp(42), stratum: 0, referenceId: KissCode.Deny.Id), s_server, ReceiveAt(0), 1000);

        Assert.Equal(SntpReplyStatus.OriginMismatch, reply.Status);
        Assert.Null(engine.Servers[0].Kiss);
    }

    [Fact]
    public void OnDatagram_UnsynchronizedServer_IsRecordedButNotSelected()
    {
        var engine = NewEngine();
        var request = Transmit(engine, 0);

        var reply = engine.OnDatagram(Reply(request.TransmitTime, stratum: 3, leap: LeapIndicator.Unsynchronized), s_server, ReceiveAt(0), 1000);
        var filtered = engine.FilterAll();
        var verdicts = new SelectionVerdict[1];
        int chosen = ServerSelector.Select(engine.CandidatesFrom(filtered), verdicts);

        Assert.Equal(SntpReplyStatus.Accepted, reply.Status);
        Assert.Equal(-1, chosen);
        Assert.Equal(SelectionVerdict.LeapNotInSync, verdicts[0]);
    }

    [Fact]
    public void OnDatagram_ZeroReceiveTimestamp_IsInsaneAndRetriedAfterTimeout()
    {
        var engine = NewEngine();
        var request = Transmit(engine, 0);

        var reply = engine.OnDatagram(Reply(request.TransmitTime, zeroReceive: true), s_server, ReceiveAt(0), Second);

        Assert.Equal(SntpReplyStatus.ServerClockInsane, reply.Status);
        Assert.Empty(engine.Servers[0].Samples);
        Assert.Equal(3 * Second, engine.NextDeadline);
    }

    [Fact]
    public void NextTransmit_AfterTimeout_LeavesEmptySlotAndResends()
    {
        var engine = NewEngine(samples: 2);
        Transmit(engine, 0);

        Assert.Equal(-1, engine.NextTransmit((2 * Second) - 1));
        Assert.Equal(0, engine.NextTransmit(2 * Second));
        Assert.Equal([null], engine.Servers[0].Samples);
    }

    [Fact]
    public void NextTransmit_AllSlotsTimedOut_Completes()
    {
        var engine = NewEngine(samples: 1);
        Transmit(engine, 0);

        Assert.Equal(-1, engine.NextTransmit(2 * Second));
        Assert.True(engine.IsComplete);
        Assert.False(engine.FilterAll()[0].HasData);
    }

    [Fact]
    public void NextTransmit_AfterReply_WaitsOneTimeout()
    {
        var engine = NewEngine(samples: 2);
        var request = Transmit(engine, 0);
        engine.OnDatagram(Reply(request.TransmitTime), s_server, ReceiveAt(0), Second / 1000);

        Assert.Equal((Second / 1000) + (2 * Second), engine.NextDeadline);
        Assert.Equal(-1, engine.NextTransmit(Second));
        Assert.Equal(0, engine.NextTransmit((Second / 1000) + (2 * Second)));
        Assert.Single(engine.Servers[0].Samples);
    }

    [Fact]
    public void NextTransmit_SeveralServers_AllDueAtStart()
    {
        var second = new IPEndPoint(IPAddress.Parse("127.0.0.21"), 123);
        var engine = NewEngine(1, s_server, second);
        Span<byte> buffer = stackalloc byte[NtpHeader.Size];

        Assert.Equal(0, engine.NextTransmit(0));
        engine.PrepareRequest(0, 1, RealStart, 0, buffer);
        Assert.Equal(1, engine.NextTransmit(0));
        engine.PrepareRequest(1, 2, RealStart, 0, buffer);
        Assert.Equal(-1, engine.NextTransmit(0));
    }

    [Fact]
    public void PrepareRequest_ZeroCookie_IsReplaced()
    {
        var engine = NewEngine();
        var request = Transmit(engine, 0, cookie: 0);

        Assert.False(request.TransmitTime.IsZero);
    }
}
