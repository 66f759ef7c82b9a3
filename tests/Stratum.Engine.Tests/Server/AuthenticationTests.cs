// Symmetric-key authentication (RFC 5905 §7.3; ntpd 4.2.8 authopt.html) on both sides. Server: a
// request with a valid MAC by a trusted key gets a reply the host signs with that key (ReplyKey);
// a bad MAC, an untrusted key, a key whose access list excludes the source, or no key at all gets
// a crypto-NAK; `notrust` serves only authenticated requests. Client (`key N`): requests carry a
// MAC by key N, and only replies signed by it are accepted (a crypto-NAK, an unsigned or a forged
// reply fails and leaves the request outstanding).
using System.Net;
using Stratum.Core.Auth;
using Stratum.Core.Config;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Access;
using Stratum.Engine.Associations;
using Stratum.Engine.Server;
using Stratum.Engine.SystemState;
using Stratum.Engine.Tests.Access;

namespace Stratum.Engine.Tests.Server;

public class AuthenticationTests
{
    private static readonly SymmetricKey s_key1 = new(1, KeyType.Md5, "Ab!c7"u8, []);
    private static readonly SymmetricKey s_key2 = new(2, KeyType.Sha1, Convert.FromHexString("0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"), []);
    private static readonly SymmetricKey s_key3 = new(3, KeyType.Md5, "only-lan"u8, [new KeyAccessEntry(IPAddress.Parse("192.0.2.0"), 24)]);
    private static readonly KeyRing s_ring = new(new KeyTable([s_key1, s_key2, s_key3]), [1u, 3u]);
    private static readonly ClientAddress s_client = AccessTestConfig.Address("192.0.2.10", 40000);
    private readonly EngineTestClock _clock = new();

    private static byte[] SignedRequest(SymmetricKey? key, int macSpace = 24)
    {
        var request = new byte[48 + macSpace];
        request[0] = 0x23;
        NtpTimestamp.FromParts(0xeeadf1fb, 0x12345678).Write(request.AsSpan(40));
        int length = key is null ? 48 : PacketMac.Append(key, request, 48);
        return request[..length];
    }

    private static ServerResponder Server(string restrict = "restrict default nomodify\n")
    {
        var system = new SystemVariables(-24);
        system.Update(LeapIndicator.NoWarning, 2, ReferenceId.FromAscii("GPS"), 0, 0.001, new EngineTestClock().Now, "x");
        return new ServerResponder(system, new AccessControl(AccessTestConfig.Settings(restrict), seed: 3)) { Keys = s_ring };
    }

    private static (ServerDecision Decision, byte[] Reply, SymmetricKey? Key) Ask(ServerResponder server, byte[] request, ClientAddress? client = null)
    {
        var reply = new byte[80];
        ServerDecision decision = server.Respond(request, client ?? s_client, NtpTimestamp.FromParts(0xeeadf1fc, 0), 10_000_000_000, reply, out int length);
        return (decision, reply[..length], server.ReplyKey);
    }

    [Fact]
    public void ValidMacByTrustedKey_ReplyIsSignedByTheSameKey()
    {
        ServerResponder server = Server();
        (ServerDecision decision, byte[] reply, SymmetricKey? key) = Ask(server, SignedRequest(s_key1));

        Assert.Equal(ServerDecision.Reply, decision);
        Assert.Same(s_key1, key);
        Assert.Equal(48, reply.Length);

        // What the host does after writing T3: the client can verify the result.
        var signed = new byte[72];
        reply.CopyTo(signed, 0);
        NtpTimestamp.FromParts(0xeeadf1fc, 5).Write(signed.AsSpan(40));
        int length = PacketMac.Append(key!, signed, 48);
        Assert.True(NtpPacket.TryRead(signed.AsSpan(0, length), out NtpPacket packet, out _));
        Assert.True(PacketMac.Verify(s_key1, packet));
        Assert.Equal(0, server.Counters.CryptoNaks);
        Assert.Equal((1, 0, 1, 1), (server.Counters.KeyLookups, server.Counters.KeyNotFound, server.Counters.MacsVerified, server.Counters.MacsSigned));
    }

    [Theory]
    [InlineData(2, "untrusted key")]
    [InlineData(4, "unknown key")]
    [InlineData(1, "forged digest")]
    public void BadMac_GetsACryptoNak(int keyId, string why)
    {
        ServerResponder server = Server();
        byte[] request = keyId switch
        {
            2 => SignedRequest(s_key2),
            4 => SignedRequest(new SymmetricKey(4, KeyType.Md5, "nope"u8, [])),
            _ => SignedRequest(s_key1),
        };
        if (why == "forged digest")
        {
            request[^1] ^= 0x55;
        }

        (ServerDecision decision, byte[] reply, SymmetricKey? key) = Ask(server, request);

        Assert.Equal(ServerDecision.Reply, decision);
        Assert.Null(key);
        Assert.Equal(52, reply.Length);
        Assert.Equal(0u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(reply.AsSpan(48)));
        Assert.Equal(1, server.Counters.CryptoNaks);
        Assert.Equal(why == "forged digest" ? 0 : 1, server.Counters.KeyNotFound);
        Assert.Equal(0, server.Counters.MacsVerified + server.Counters.MacsSigned);
    }

    [Fact]
    public void KeyAccessList_OnlyItsSourcesAuthenticate()
    {
        ServerResponder server = Server();
        Assert.Same(s_key3, Ask(server, SignedRequest(s_key3)).Key);
        Assert.Null(Ask(server, SignedRequest(s_key3), AccessTestConfig.Address("198.51.100.1", 40000)).Key);
    }

    [Fact]
    public void NoTrust_ServesOnlyAuthenticatedRequests()
    {
        ServerResponder server = Server("restrict default notrust nomodify\n");
        Assert.Equal(ServerDecision.DropNotTrusted, Ask(server, SignedRequest(null)).Decision);
        Assert.Equal(ServerDecision.DropNotTrusted, Ask(server, SignedRequest(s_key2)).Decision);
        Assert.Equal(ServerDecision.Reply, Ask(server, SignedRequest(s_key1)).Decision);
    }

    private RemoteAssociation Client(uint keyId, SymmetricKey? key)
    {
        var association = new RemoteAssociation(1, new RemoteAssociationSettings(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 123),
            AssociationMode.Client, true, false, false, false, false, 6, 10, 4, "10.0.0.1") { KeyId = keyId }, new SeededRandom(7), new SystemVariables(-24))
        {
            Key = key,
        };
        association.Start(_clock.Now);
        return association;
    }

    private (byte[] Request, int Length) Poll(RemoteAssociation association)
    {
        _clock.Advance(Math.Max(0, association.NextPollMono - _clock.Mono) / 1e9);
        var request = new byte[72];
        return (request, association.OnTimer(_clock.Now, request));
    }

    private byte[] ServerReply(byte[] request, SymmetricKey? signWith, bool cryptoNak = false)
    {
        NtpHeader r = NtpHeader.Read(request);
        NtpTimestamp now = _clock.Now.Real;
        var header = new NtpHeader(LeapIndicator.NoWarning, 4, NtpMode.Server, 1, r.Poll, -20, NtpShort.Zero, NtpShort.FromSeconds(0.001),
            ReferenceId.FromAscii("GPS"), now, r.TransmitTime, now, now + NtpDuration.FromSeconds(0.0001));
        var reply = new byte[72];
        int length = header.Write(reply);
        if (signWith is not null)
        {
            length = PacketMac.Append(signWith, reply, length);
        }
        else if (cryptoNak)
        {
            length = MessageAuthenticationCode.Write(reply, length, 0, []);
        }

        return reply[..length];
    }

    [Fact]
    public void ClientWithKey_SignsRequests_AcceptsOnlyRepliesSignedByTheKey()
    {
        RemoteAssociation association = Client(1, s_key1);
        (byte[] request, int length) = Poll(association);
        Assert.Equal(68, length);
        Assert.True(NtpPacket.TryRead(request.AsSpan(0, length), out NtpPacket sent, out _));
        Assert.True(PacketMac.Verify(s_key1, sent));

        _clock.Advance(0.001);
        Assert.Equal(ReplyVerdict.AuthenticationFailed, association.OnReply(ServerReply(request, null), _clock.Now.Real, _clock.Mono / 1e9, -24, out _));
        Assert.Equal(ReplyVerdict.AuthenticationFailed, association.OnReply(ServerReply(request, null, cryptoNak: true), _clock.Now.Real, _clock.Mono / 1e9, -24, out _));
        Assert.Equal(ReplyVerdict.AuthenticationFailed, association.OnReply(ServerReply(request, new SymmetricKey(1, KeyType.Md5, "forged"u8, [])), _clock.Now.Real, _clock.Mono / 1e9, -24, out _));
        Assert.False(association.IsAuthentic);
        Assert.Equal(0, association.Reach);

        Assert.Equal(ReplyVerdict.Accepted, association.OnReply(ServerReply(request, s_key1), _clock.Now.Real, _clock.Mono / 1e9, -24, out _));
        Assert.True(association.IsAuthentic);
        Assert.Equal(1, association.Reach);
        Assert.Equal((1, 1), (association.MacsSigned, association.MacsVerified));
    }

    [Fact]
    public void ClientWithUntrustedKey_SendsUnsigned_NeverAuthenticates()
    {
        RemoteAssociation association = Client(2, key: null);
        (byte[] request, int length) = Poll(association);
        Assert.Equal(48, length);
        _clock.Advance(0.001);
        Assert.Equal(ReplyVerdict.AuthenticationFailed, association.OnReply(ServerReply(request, s_key2), _clock.Now.Real, _clock.Mono / 1e9, -24, out _));
    }
}
