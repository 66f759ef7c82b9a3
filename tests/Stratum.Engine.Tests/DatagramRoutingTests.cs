// NtpEngine.OnDatagram, the one entry point for every datagram: on a listening socket a time request
// is answered into the caller's buffer (allocation-free, also for a flood of symmetric packets from
// hosts that are not peers), modes 6 and 7 pass the query gate and are answered through the actions,
// and a configured peer's symmetric packet goes to its association from any source port; on an
// association's own socket only its server's address and port count, and not from a `noserve`
// source. OnListening and run-time mobilization ask for the association sockets.
using System.Net;
using Stratum.Core.Mode6;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Access;
using Stratum.Engine.Associations;
using Stratum.Engine.Server;
using Stratum.Engine.Tests.Access;

namespace Stratum.Engine.Tests;

public class DatagramRoutingTests
{
    private static readonly IPEndPoint s_server = new(IPAddress.Parse("192.0.2.8"), 123);
    private static readonly IPEndPoint s_peer = new(IPAddress.Parse("192.0.2.7"), 123);

    private readonly EngineTestClock _clock = new();
    private readonly EngineActions _actions = new();
    private readonly byte[] _reply = new byte[68];

    private static RemoteAssociationSettings Line(IPEndPoint remote, AssociationMode mode) =>
        new(remote, mode, false, false, false, false, false, 6, 10, 4, remote.Address.ToString());

    private static NtpEngine Engine(string? restrict = null, params RemoteAssociationSettings[] associations) =>
        new(new EngineConfiguration([], [], false, associations, Access: restrict is null ? null : AccessTestConfig.Settings(restrict)), -20, new SeededRandom(5));

    private static byte[] Packet(NtpMode mode)
    {
        var data = new byte[48];
        data[0] = (byte)((4 << 3) | (byte)mode);
        NtpTimestamp.FromParts(0xeeadf1fb, 0x01020304).Write(data.AsSpan(40));
        return data;
    }

    private DatagramResult OnServerSocket(NtpEngine engine, ReadOnlySpan<byte> data, string source, int port = 40000) =>
        engine.OnDatagram(DatagramContext.ForServer(AccessTestConfig.Address(source, port), _clock.Now.Real, _clock.Mono, data), _reply, _actions);

    private DatagramResult OnAssociationSocket(NtpEngine engine, int id, ReadOnlySpan<byte> data, IPEndPoint source) =>
        engine.OnDatagram(DatagramContext.ForAssociation(id, ClientAddress.From(source.Address, source.Port), _clock.Now.Real, _clock.Now, data), _reply, _actions);

    [Fact]
    public void ClientRequest_ReplyWrittenIntoTheBuffer_NothingInTheActions()
    {
        NtpEngine engine = Engine();
        DatagramResult result = OnServerSocket(engine, Packet(NtpMode.Client), "198.51.100.1");

        Assert.Equal(DatagramDisposition.Reply, result.Disposition);
        Assert.Equal(48, result.ReplyLength);
        Assert.Equal(ServerDecision.Reply, result.Decision);
        Assert.True(result.StampTransmit);
        Assert.Equal(NtpMode.Server, NtpHeader.Read(_reply).Mode);
        Assert.Empty(_actions.Answers);
        Assert.Empty(_actions.Packets);
        Assert.Equal(long.MaxValue, _actions.NextDeadline);
        Assert.Equal(1, engine.Control.Host.Received);
    }

    [Fact]
    public void TimeRequestsAndSymmetricFlood_FromHostsThatAreNotPeers_AllocateNothing()
    {
        NtpEngine engine = Engine("restrict default limited kod\n", Line(s_peer, AssociationMode.SymmetricActive), Line(s_server, AssociationMode.Client));
        byte[] client = Packet(NtpMode.Client);
        byte[] active = Packet(NtpMode.SymmetricActive);
        var sources = new ClientAddress[64];
        for (int i = 0; i < sources.Length; i++)
        {
            sources[i] = ClientAddress.FromIPv4(0xC6336400u + (uint)i, (ushort)(40000 + i));
        }

        for (int i = 0; i < 200; i++)
        {
            Respond(i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 200; i < 5200; i++)
        {
            Respond(i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        void Respond(int i)
        {
            var datagram = DatagramContext.ForServer(sources[i & 63], _clock.Now.Real, _clock.Mono + (i * 10_000_000L), (i & 1) == 0 ? client : active);
            engine.OnDatagram(datagram, _reply, _actions);
        }
    }

    [Fact]
    public void ModeSixQuery_AnsweredThroughTheActions()
    {
        NtpEngine engine = Engine();
        var request = new byte[ControlMessage.HeaderSize];
        ControlMessage.Write(ControlHeader.Request(ControlOpcode.ReadStatus, 1, 0, 0), [], request);

        DatagramResult result = OnServerSocket(engine, request, "127.0.0.1");

        Assert.Equal(DatagramDisposition.Answered, result.Disposition);
        Assert.Null(result.Decision);
        OutgoingPacket answer = Assert.Single(_actions.Answers);
        Assert.True(ControlMessage.TryRead(_actions.PacketBytes(answer), out ControlHeader header, out _, out _, out _));
        Assert.True(header.IsResponse);
    }

    [Fact]
    public void ModeSixQuery_FromANoquerySource_DroppedWithTheGatesReason()
    {
        NtpEngine engine = Engine("restrict default noquery\n");
        var request = new byte[ControlMessage.HeaderSize];
        ControlMessage.Write(ControlHeader.Request(ControlOpcode.ReadStatus, 1, 0, 0), [], request);

        DatagramResult result = OnServerSocket(engine, request, "198.51.100.1");

        Assert.Equal(DatagramDisposition.Dropped, result.Disposition);
        Assert.Equal(ServerDecision.DropNoQuery, result.Decision);
        Assert.Empty(_actions.Answers);
    }

    [Fact]
    public void SymmetricPacket_FromAConfiguredPeersNtpPort_GoesToItsAssociation_NotToTheServer()
    {
        NtpEngine engine = Engine(null, Line(s_server, AssociationMode.Client), Line(s_peer, AssociationMode.SymmetricActive));
        engine.Start(_clock.Now, _actions);
        _actions.Clear();

        DatagramResult result = OnServerSocket(engine, Packet(NtpMode.SymmetricActive), "192.0.2.7", port: 123);

        Assert.Equal(DatagramDisposition.Association, result.Disposition);
        Assert.Null(result.Decision);
        Assert.Equal(0, engine.Server.Counters.Received);
        Assert.NotEqual(long.MaxValue, _actions.NextDeadline);

        // From another port of the peer's host it is not the peer's: the stateless server answers it.
        Assert.Equal(DatagramDisposition.Reply, OnServerSocket(engine, Packet(NtpMode.SymmetricActive), "192.0.2.7", port: 40123).Disposition);

        // The same packet from a host that is not a peer: the stateless server answers it (mode 2).
        Assert.Equal(DatagramDisposition.Reply, OnServerSocket(engine, Packet(NtpMode.SymmetricActive), "192.0.2.9").Disposition);
        Assert.Equal(NtpMode.SymmetricPassive, NtpHeader.Read(_reply).Mode);
    }

    [Fact]
    public void OnAssociationSocket_OnlyItsServersAddressAndPort_AndNotANoserveSource()
    {
        byte[] reply = Packet(NtpMode.Server);
        NtpEngine engine = Engine(null, Line(s_server, AssociationMode.Client));
        Assert.Equal(DatagramDisposition.Association, OnAssociationSocket(engine, 1, reply, s_server).Disposition);
        Assert.Equal(DatagramDisposition.Dropped, OnAssociationSocket(engine, 1, reply, new IPEndPoint(s_server.Address, 124)).Disposition);
        Assert.Equal(DatagramDisposition.Dropped, OnAssociationSocket(engine, 1, reply, new IPEndPoint(IPAddress.Parse("192.0.2.9"), 123)).Disposition);
        Assert.Equal(DatagramDisposition.Dropped, OnAssociationSocket(engine, 2, reply, s_server).Disposition);

        NtpEngine restricted = Engine("restrict 192.0.2.8 noserve\n", Line(s_server, AssociationMode.Client));
        Assert.Equal(DatagramDisposition.Dropped, OnAssociationSocket(restricted, 1, reply, s_server).Disposition);
    }

    [Fact]
    public void OnListening_ASocketPerNetworkAssociation_NoneForAReferenceClock()
    {
        var shm = new RemoteAssociationSettings(new IPEndPoint(IPAddress.Parse("127.127.28.0"), 123), AssociationMode.Refclock,
            false, false, false, false, false, 4, 4, 4, "SHM(0)")
        {
            Refclock = new RefclockIdentity(0, ReferenceId.FromAscii("GPS"), 0),
        };
        NtpEngine engine = Engine(null, Line(s_server, AssociationMode.Client), shm, Line(s_peer, AssociationMode.SymmetricActive));

        engine.OnListening([new IPEndPoint(IPAddress.Any, 123)], [IPAddress.Parse("192.0.2.100")], _actions);

        Assert.Equal([(SocketActionKind.Open, 1, s_server), (SocketActionKind.Open, 3, s_peer)],
            _actions.Sockets.Select(s => (s.Kind, s.AssociationId, s.Remote!)));
        Assert.Contains(ReferenceId.FromAddress(IPAddress.Parse("192.0.2.100")), engine.Sources.LocalReferenceIds);
    }

    [Fact]
    public void MobilizedAtRunTime_SocketOpened_PollsAtOnce_DemobilizedSocketClosed()
    {
        NtpEngine engine = Engine("restrict default\n");
        engine.Start(_clock.Now, _actions);
        _actions.Clear();

        int id = engine.MobilizeAssociation(Line(s_server, AssociationMode.Client) with { Iburst = true }, _clock.Now, _actions);
        Assert.Equal((SocketActionKind.Open, id), (_actions.Sockets[0].Kind, _actions.Sockets[0].AssociationId));
        Assert.Equal(_clock.Mono, engine.Sources.NextDeadline());
        // The new association's replies are routed to it.
        Assert.Equal(DatagramDisposition.Association, OnAssociationSocket(engine, id, Packet(NtpMode.Server), s_server).Disposition);

        _actions.Clear();
        Assert.True(engine.DemobilizeAssociation(id, _actions));
        Assert.Equal((SocketActionKind.Close, id), (_actions.Sockets[0].Kind, _actions.Sockets[0].AssociationId));
        Assert.Equal(DatagramDisposition.Dropped, OnAssociationSocket(engine, id, Packet(NtpMode.Server), s_server).Disposition);
        Assert.False(engine.DemobilizeAssociation(id, _actions));
    }

    [Fact]
    public void NameQueuedAtRunTime_TimerBroughtForward_LookupAskedForAtIt()
    {
        NtpEngine engine = Engine();
        engine.Start(_clock.Now, _actions);
        _actions.Clear();
        _clock.Advance(30);

        engine.ResolveAssociation(new PendingAssociation("time.test", false, Line(s_server, AssociationMode.Client)), _clock.Now, _actions);
        Assert.Equal(_clock.Mono, _actions.NextDeadline);

        _actions.Clear();
        engine.OnTimer(_clock.Now, _actions);
        ResolveRequest lookup = Assert.Single(_actions.Resolves);
        Assert.Equal("time.test", lookup.Name);
        Assert.True(engine.Names!.Busy);
    }

    [Theory]
    [InlineData("restrict 192.0.2.7 ignore\n")]
    [InlineData("restrict 192.0.2.7 noserve\n")]
    [InlineData("restrict 192.0.2.7 notrust\n")]
    public void SymmetricPacket_FromARestrictedPeer_IsDropped(string restrict)
    {
        NtpEngine engine = Engine(restrict, Line(s_peer, AssociationMode.SymmetricActive));
        engine.Start(_clock.Now, _actions);
        _actions.Clear();
        Assert.Equal(DatagramDisposition.Dropped, OnServerSocket(engine, Packet(NtpMode.SymmetricActive), "192.0.2.7", port: 123).Disposition);
        Assert.Equal(1, engine.PeerPacketsRestricted);

        // nopeer only keeps unknown sources from mobilizing associations: a configured peer gets through.
        NtpEngine nopeer = Engine("restrict 192.0.2.7 nopeer\n", Line(s_peer, AssociationMode.SymmetricActive));
        nopeer.Start(_clock.Now, _actions);
        Assert.Equal(DatagramDisposition.Association, OnServerSocket(nopeer, Packet(NtpMode.SymmetricActive), "192.0.2.7", port: 123).Disposition);
    }

    [Fact]
    public void PeerSocket_IsRequestedOnTheNtpPort_ClientSocketsEphemeral()
    {
        NtpEngine engine = Engine(null, Line(s_server, AssociationMode.Client), Line(s_peer, AssociationMode.SymmetricActive));
        engine.OnListening([new IPEndPoint(IPAddress.Any, 123)], [IPAddress.Parse("192.0.2.100")], _actions);
        Assert.Equal([false, true], _actions.Sockets.Where(a => a.Kind == SocketActionKind.Open).Select(a => a.FromNtpPort));
    }

    // A 12-octet mode 6 READVAR for the system variables.
    private static byte[] ReadVariables() => [0x16, 0x02, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0];

    [Fact]
    public void Mode6_WithoutAnyRestrictLine_IsAnsweredOnLoopbackOnly_AndAsNtpdWithOne()
    {
        NtpEngine bare = Engine("");
        Assert.True(bare.Server.Access!.Settings.QueriesFromLoopbackOnly);
        Assert.Equal(ServerDecision.DropNoQuery, OnServerSocket(bare, ReadVariables(), "198.51.100.1").Decision);
        Assert.Empty(_actions.Answers);
        Assert.Equal(DatagramDisposition.Reply, OnServerSocket(bare, Packet(NtpMode.Client), "198.51.100.1").Disposition);
        OnServerSocket(bare, ReadVariables(), "127.0.0.1");
        Assert.NotEmpty(_actions.Answers);

        _actions.Clear();
        NtpEngine restricted = Engine("restrict default kod limited\n");
        Assert.False(restricted.Server.Access!.Settings.QueriesFromLoopbackOnly);
        OnServerSocket(restricted, ReadVariables(), "198.51.100.1");
        Assert.NotEmpty(_actions.Answers);
    }
}
