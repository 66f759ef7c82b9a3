// Broadcast and manycast modes through NtpEngine (ntpd 4.2.8): a broadcast server sends mode 5 only
// while synchronized, signed by its key; a broadcast client mobilizes an association only for a
// signed broadcast while `auth` is on, runs the client/server volley, calibrates the one-way delay
// from it and then measures broadcasts as T3 - T4 + delay/2; broadcasts too soon after the last one
// and, with `tos bcpollbstep`, backward steps are held back; `broadcastdelay` skips the volley; an
// ephemeral association that stays silent is demobilized; a manycast solicitor mobilizes a client
// association for each server that answers its request, once; a group socket's client request is
// answered only by a synchronized manycast server. The server's clock is 10 ms ahead of ours and
// every packet takes 2 ms each way, so the right answers are known.
using System.Net;
using Stratum.Core.Auth;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Access;
using Stratum.Engine.Associations;

namespace Stratum.Engine.Tests.Associations;

public sealed class BroadcastModeTests
{
    private const double ServerAhead = 0.010;
    private const double OneWay = 0.002;

    private static readonly SymmetricKey s_key = new(1, KeyType.Sha1, Convert.FromHexString("0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"), []);
    private static readonly KeyRing s_ring = new(new KeyTable([s_key]), [1u]);
    private static readonly IPAddress s_server = IPAddress.Parse("192.0.2.10");

    private readonly EngineTestClock _clock = new();
    private readonly EngineActions _actions = new();
    private readonly byte[] _reply = new byte[68];
    private NtpTimestamp _lastBroadcast;

    private static NtpEngine Client(CastSettings casting, params RemoteAssociationSettings[] associations) =>
        new(new EngineConfiguration([], [], false, associations, Keys: s_ring) { Casting = casting }, -20, new SeededRandom(7));

    private NtpTimestamp ServerTime(double extra = 0) => NtpTimestamp.FromUnixNanoseconds(_clock.Real + (long)((ServerAhead + extra) * 1e9));

    private static byte[] Broadcast(NtpTimestamp transmit, SymmetricKey? key, sbyte poll = 4, byte stratum = 2)
    {
        var packet = new byte[NtpHeader.Size + NtpPacket.MaxMacLength];
        int length = new NtpHeader(LeapIndicator.NoWarning, 4, NtpMode.Broadcast, stratum, poll, -20, NtpShort.FromSeconds(0.001), NtpShort.FromSeconds(0.002),
            ReferenceId.FromAddress(IPAddress.Parse("192.0.2.1")), transmit, NtpTimestamp.Zero, NtpTimestamp.Zero, transmit).Write(packet);
        if (key is not null)
        {
            length = PacketMac.Append(key, packet, length);
        }

        return packet[..length];
    }

    // A broadcast sent now by the server; it arrives (and is handed to the engine) OneWay later.
    private DatagramResult SendBroadcast(NtpEngine engine, bool signed = true, double transmitShift = 0, bool group = false)
    {
        _lastBroadcast = ServerTime(transmitShift);
        byte[] packet = Broadcast(_lastBroadcast, signed ? s_key : null);
        _clock.Advance(OneWay);
        ClientAddress source = ClientAddress.From(s_server, 123);
        DatagramContext datagram = group
            ? DatagramContext.ForGroup(source, _clock.Now.Real, _clock.Now, packet)
            : DatagramContext.ForServer(source, _clock.Now.Real, _clock.Mono, packet);
        return engine.OnDatagram(datagram, _reply, _actions);
    }

    // Runs the engine's timer now and answers every request it sends as the server would, OneWay each way.
    private void AnswerRequests(NtpEngine engine, SymmetricKey? key, IPAddress? from = null)
    {
        _actions.Clear();
        engine.OnTimer(_clock.Now, _actions);
        foreach (OutgoingPacket packet in _actions.Packets.ToArray())
        {
            byte[] request = _actions.PacketBytes(packet).ToArray();
            engine.MarkSent(packet.AssociationId, _clock.Now.Real);
            NtpHeader asked = NtpHeader.Read(request);
            _clock.Advance(OneWay);
            NtpTimestamp received = ServerTime();
            var reply = new byte[NtpHeader.Size + NtpPacket.MaxMacLength];
            int length = new NtpHeader(LeapIndicator.NoWarning, 4, NtpMode.Server, 2, asked.Poll, -20, NtpShort.FromSeconds(0.001), NtpShort.FromSeconds(0.002),
                ReferenceId.FromAddress(IPAddress.Parse("192.0.2.1")), received, asked.TransmitTime, received, received).Write(reply);
            if (key is not null)
            {
                length = PacketMac.Append(key, reply, length);
            }

            _clock.Advance(OneWay);
            var datagram = DatagramContext.ForAssociation(packet.AssociationId, ClientAddress.From(from ?? s_server, 123), _clock.Now.Real, _clock.Now, reply.AsSpan(0, length));
            engine.OnDatagram(datagram, _reply, _actions);
        }
    }

    private static RemoteAssociation Only(NtpEngine engine) => Assert.Single(engine.Sources.Sources).Association;

    [Fact]
    public void UnsignedBroadcast_WithAuthOn_MobilizesNothing_WithAuthOff_ItDoes()
    {
        NtpEngine strict = Client(new CastSettings { BroadcastClient = true });
        strict.Start(_clock.Now, _actions);
        SendBroadcast(strict, signed: false);
        Assert.Empty(strict.Sources.Sources);
        Assert.Equal(1, strict.Casting.Restricted);

        NtpEngine open = Client(new CastSettings { BroadcastClient = true, Authenticate = false });
        open.Start(_clock.Now, _actions);
        SendBroadcast(open, signed: false);
        RemoteAssociation association = Only(open);
        Assert.Equal(AssociationMode.BroadcastClient, association.Settings.Mode);
        Assert.True(association.Settings.IsEphemeral);
        Assert.Null(association.Settings.KeyId);
    }

    [Fact]
    public void ForgedBroadcastsFromManySources_MobilizeNoMoreThanMaxclock()
    {
        NtpEngine engine = Client(new CastSettings { BroadcastClient = true, Authenticate = false, MaxClock = 4 });
        engine.Start(_clock.Now, _actions);
        for (uint i = 0; i < 50; i++)
        {
            byte[] packet = Broadcast(ServerTime(), key: null);
            ClientAddress source = ClientAddress.FromIPv4(0xC6336400u + i, 123);
            engine.OnDatagram(DatagramContext.ForServer(source, _clock.Now.Real, _clock.Mono, packet), _reply, _actions);
        }

        Assert.Equal(4, engine.Sources.Sources.Count);
        Assert.Equal(46, engine.Casting.Declined);
    }

    [Fact]
    public void Broadcast_WithoutBroadcastClient_OrFromAnUnsynchronizedServer_MobilizesNothing()
    {
        NtpEngine disabled = Client(new CastSettings());
        disabled.Start(_clock.Now, _actions);
        SendBroadcast(disabled);
        Assert.Empty(disabled.Sources.Sources);

        NtpEngine engine = Client(new CastSettings { BroadcastClient = true });
        engine.Start(_clock.Now, _actions);
        ClientAddress source = ClientAddress.From(s_server, 123);
        byte[] unsynchronized = Broadcast(ServerTime(), s_key, stratum: 16);
        engine.OnDatagram(DatagramContext.ForServer(source, _clock.Now.Real, _clock.Mono, unsynchronized), _reply, _actions);
        Assert.Empty(engine.Sources.Sources);
        Assert.Equal(1, engine.Casting.Declined);
    }

    [Fact]
    public void SignedBroadcast_RunsTheVolley_ThenListens_WithTheCalibratedDelay()
    {
        NtpEngine engine = Client(new CastSettings { BroadcastClient = true });
        engine.Start(_clock.Now, _actions);
        _actions.Clear();
        Assert.Equal(DatagramDisposition.Association, SendBroadcast(engine, group: true).Disposition);
        RemoteAssociation association = Only(engine);
        Assert.Equal(1u, association.Settings.KeyId);
        Assert.True(association.IsCalibrating);
        Assert.Contains(_actions.Sockets, socket => socket.AssociationId == association.Id && socket.Remote!.Address.Equals(s_server));

        for (int i = 0; i < RemoteAssociation.BurstLength; i++)
        {
            AnswerRequests(engine, s_key);
            Assert.Single(_actions.Packets);
            Assert.Equal(NtpMode.Client, NtpHeader.Read(_actions.PacketBytes(_actions.Packets[0])).Mode);
            _clock.Advance(RemoteAssociation.BurstSpacingSeconds - (2 * OneWay));
        }

        Assert.True(association.IsListening);
        Assert.Equal(ServerAhead, association.LastSample!.Value.Offset, 6);

        // Listening: the timer sends nothing.
        _clock.Advance(20);
        _actions.Clear();
        engine.OnTimer(_clock.Now, _actions);
        Assert.Empty(_actions.Packets);

        SendBroadcast(engine);
        Assert.Equal(2 * OneWay, association.BroadcastDelay!.Value, 6);
        Assert.Equal(ServerAhead, association.LastSample!.Value.Offset, 6);
        Assert.Equal(2 * OneWay, association.LastSample!.Value.Delay, 6);
        Assert.Equal(association.Id, engine.Sources.SystemPeer?.Id);
    }

    [Fact]
    public void BroadcastDelay_SkipsTheVolley_AndMeasuresTheFirstBroadcast()
    {
        NtpEngine engine = Client(new CastSettings { BroadcastClient = true, BroadcastDelay = 0.003 });
        engine.Start(_clock.Now, _actions);
        SendBroadcast(engine);
        RemoteAssociation association = Only(engine);
        Assert.True(association.IsListening);
        Assert.Equal(ServerAhead - OneWay + 0.0015, association.LastSample!.Value.Offset, 6);

        _clock.Advance(30);
        _actions.Clear();
        engine.OnTimer(_clock.Now, _actions);
        Assert.Empty(_actions.Packets);
    }

    [Fact]
    public void Broadcast_TooSoonAfterTheLast_IsRefused()
    {
        NtpEngine engine = Client(new CastSettings { BroadcastClient = true, BroadcastDelay = 0.002 });
        engine.Start(_clock.Now, _actions);
        SendBroadcast(engine);
        RemoteAssociation association = Only(engine);

        _clock.Advance(5);
        SendBroadcast(engine);
        Assert.Equal(1, association.DroppedReplies[(int)ReplyVerdict.TooSoon]);

        _clock.Advance(16);
        SendBroadcast(engine);
        Assert.Equal(1, association.DroppedReplies[(int)ReplyVerdict.TooSoon]);
        Assert.True((association.Reach & 1) == 1);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    public void BackwardStep_IsHeldBackForBcpollbstepIntervals(int backstepPolls, long held)
    {
        NtpEngine engine = Client(new CastSettings { BroadcastClient = true, BroadcastDelay = 0.002, BackstepPolls = backstepPolls });
        engine.Start(_clock.Now, _actions);
        SendBroadcast(engine);
        RemoteAssociation association = Only(engine);

        // The server's clock steps back 20 s: its next broadcast carries an earlier time.
        _clock.Advance(16);
        SendBroadcast(engine, transmitShift: -20);
        Assert.Equal(held, association.DroppedReplies[(int)ReplyVerdict.Backstep]);

        _clock.Advance(16);
        SendBroadcast(engine, transmitShift: -20);
        Assert.Equal(held, association.DroppedReplies[(int)ReplyVerdict.Backstep]);
        Assert.Equal(ServerAhead - 20 - OneWay + 0.001, association.LastSample!.Value.Offset, 6);
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    public void BadDigest_FromAnEphemeralAssociationsServer_DemobilizesItUnlessUnpeerDigestEarlyIsOff(bool unpeerDigestEarly, int left)
    {
        NtpEngine engine = Client(new CastSettings { BroadcastClient = true, BroadcastDelay = 0.002, UnpeerDigestEarly = unpeerDigestEarly });
        engine.Start(_clock.Now, _actions);
        SendBroadcast(engine);
        Assert.Single(engine.Sources.Sources);

        // Key 1 with the wrong secret: the digest fails.
        var forged = new SymmetricKey(1, KeyType.Sha1, Convert.FromHexString("00000000000000000000000000000000000000ff"), []);
        _clock.Advance(16);
        byte[] packet = Broadcast(ServerTime(), forged);
        engine.OnDatagram(DatagramContext.ForServer(ClientAddress.From(s_server, 123), _clock.Now.Real, _clock.Mono, packet), _reply, _actions);
        Assert.Equal(left, engine.Sources.Sources.Count);
    }

    [Fact]
    public void SilentBroadcastServer_ItsAssociationIsDemobilized()
    {
        NtpEngine engine = Client(new CastSettings { BroadcastClient = true, BroadcastDelay = 0.002 });
        engine.Start(_clock.Now, _actions);
        SendBroadcast(engine);
        int id = Only(engine).Id;

        for (int i = 0; i < 40 && engine.Sources.Sources.Count > 0; i++)
        {
            _clock.Advance(17);
            _actions.Clear();
            engine.OnTimer(_clock.Now, _actions);
        }

        Assert.Empty(engine.Sources.Sources);
        Assert.Contains(_actions.Sockets, socket => socket.Kind == SocketActionKind.Close && socket.AssociationId == id);
    }

    [Fact]
    public void BroadcastServer_SendsSignedModeFive_OnlyWhileSynchronized()
    {
        var line = new RemoteAssociationSettings(new IPEndPoint(IPAddress.Parse("192.0.2.255"), 123), AssociationMode.Broadcast,
            false, false, false, false, false, 4, 4, 4, "192.0.2.255") { KeyId = 1 };
        NtpEngine engine = Client(new CastSettings(), line);
        engine.Start(_clock.Now, _actions);
        _actions.Clear();
        _clock.Advance(1);
        engine.OnTimer(_clock.Now, _actions);
        Assert.Empty(_actions.Packets);

        engine.System.Update(LeapIndicator.NoWarning, 3, ReferenceId.FromAddress(IPAddress.Parse("192.0.2.1")), 0.001, 0.002, _clock.Now, "192.0.2.1");
        _clock.Advance(17);
        _actions.Clear();
        engine.OnTimer(_clock.Now, _actions);
        byte[] sent = Assert.Single(_actions.Packets) is var packet ? _actions.PacketBytes(packet).ToArray() : [];
        Assert.True(NtpPacket.TryRead(sent, out NtpPacket broadcast, out _));
        Assert.Equal(NtpMode.Broadcast, broadcast.Header.Mode);
        Assert.Equal(3, broadcast.Header.Stratum);
        Assert.Equal(4, broadcast.Header.Poll);
        Assert.True(broadcast.Header.OriginTime.IsZero);
        Assert.True(broadcast.Header.ReceiveTime.IsZero);
        Assert.Equal(_clock.Now.Real, broadcast.Header.TransmitTime);
        Assert.True(PacketMac.Verify(s_key, broadcast));

        // Not again before 2^minpoll s.
        _clock.Advance(10);
        _actions.Clear();
        engine.OnTimer(_clock.Now, _actions);
        Assert.Empty(_actions.Packets);
    }

    [Fact]
    public void ManycastSolicitor_MobilizesEachSignedServerOnce()
    {
        var solicitor = new RemoteAssociationSettings(new IPEndPoint(IPAddress.Parse("239.1.1.1"), 123), AssociationMode.Client,
            true, false, false, false, false, 4, 6, 4, "239.1.1.1") { KeyId = 1, IsManycastSolicitor = true };
        NtpEngine engine = Client(new CastSettings(), solicitor);
        engine.Start(_clock.Now, _actions);
        int solicitorId = Only(engine).Id;

        AnswerRequests(engine, s_key, from: s_server);
        Assert.Equal(2, engine.Sources.Sources.Count);
        RemoteAssociation found = engine.Sources.Sources.Single(s => s.Id != solicitorId).Association;
        Assert.Equal(s_server, found.Settings.Address.Address);
        Assert.Equal(AssociationMode.Client, found.Settings.Mode);
        Assert.True(found.Settings.IsEphemeral);
        Assert.Equal(1u, found.Settings.KeyId);
        Assert.Equal(4, found.Settings.MinPoll);

        // At the next solicitations (one request each, no burst), the same server again and an unsigned one: nothing new.
        _clock.Advance(17);
        AnswerRequests(engine, s_key, from: s_server);
        _clock.Advance(17);
        AnswerRequests(engine, key: null, from: IPAddress.Parse("192.0.2.12"));
        Assert.Equal(2, engine.Sources.Sources.Count);
        Assert.True(engine.Casting.Declined >= 1);
        Assert.True(engine.Casting.Restricted >= 1);
        Assert.True(Only(engine, solicitorId).IsTimeSource == false);
    }

    private static RemoteAssociation Only(NtpEngine engine, int id) => engine.Sources.Sources.Single(s => s.Id == id).Association;

    [Fact]
    public void GroupClientRequest_AnsweredOnlyByASynchronizedManycastServer()
    {
        byte[] request = new byte[48];
        request[0] = (4 << 3) | 3;
        NtpTimestamp.FromParts(0xeeadf1fb, 0x01020304).Write(request.AsSpan(40));
        ClientAddress client = ClientAddress.From(IPAddress.Parse("192.0.2.50"), 40000);

        NtpEngine notServing = Client(new CastSettings());
        notServing.System.Update(LeapIndicator.NoWarning, 3, ReferenceId.None, 0, 0, _clock.Now, "x");
        Assert.Equal(DatagramDisposition.Dropped, notServing.OnDatagram(DatagramContext.ForGroup(client, _clock.Now.Real, _clock.Now, request), _reply, _actions).Disposition);

        NtpEngine server = Client(new CastSettings { ManycastServer = true });
        Assert.Equal(DatagramDisposition.Dropped, server.OnDatagram(DatagramContext.ForGroup(client, _clock.Now.Real, _clock.Now, request), _reply, _actions).Disposition);
        server.System.Update(LeapIndicator.NoWarning, 3, ReferenceId.None, 0, 0, _clock.Now, "x");
        DatagramResult answered = server.OnDatagram(DatagramContext.ForGroup(client, _clock.Now.Real, _clock.Now, request), _reply, _actions);
        Assert.Equal(DatagramDisposition.Reply, answered.Disposition);
        Assert.Equal(NtpMode.Server, NtpHeader.Read(_reply).Mode);
        Assert.Equal(2, server.GroupDatagramsDropped + notServing.GroupDatagramsDropped);
    }
}
