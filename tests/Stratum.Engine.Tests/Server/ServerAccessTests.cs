// The time server under restrict (ntpd 4.2.8 accopt.html): each flag's effect on modes 1 and 3,
// source port 0, ntpport, the RATE kiss-o'-death's fields, leak replies, query gating, counters
// per drop reason, and no allocation on the restricted path.
using System.Buffers.Binary;
using Stratum.Core.Config;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Access;
using Stratum.Engine.Server;
using Stratum.Engine.SystemState;
using Stratum.Engine.Tests.Access;

namespace Stratum.Engine.Tests.Server;

public class ServerAccessTests
{
    private const long Second = LoopTime.NanosecondsPerSecond;
    private static readonly NtpTimestamp s_clientTransmit = NtpTimestamp.FromParts(0xeeadf1fb, 0x12345678);
    private static readonly NtpTimestamp s_receive = NtpTimestamp.FromParts(0xeeadf1fb, 0x22222222);
    private static readonly ClientAddress s_client = AccessTestConfig.Address("192.0.2.10", 40000);

    private static byte[] Request(byte version = 4, NtpMode mode = NtpMode.Client, int macLength = 0, sbyte poll = 6)
    {
        var data = new byte[48 + macLength];
        data[0] = (byte)((version << 3) | (byte)mode);
        data[2] = (byte)poll;
        s_clientTransmit.Write(data.AsSpan(40));
        if (macLength > 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(48), 7);
        }

        return data;
    }

    private static ServerResponder Server(string restrictLines, RateLimitSettings? limits = null)
    {
        var system = new SystemVariables(-24);
        system.Update(LeapIndicator.NoWarning, 11, ReferenceId.FromAscii("LOCL"), 0.0, 0.001, new EngineTestClock().Now, "LOCAL(0)");
        AccessSettings settings = AccessTestConfig.Settings(restrictLines);
        return new ServerResponder(system, new AccessControl(limits is null ? settings : settings with { RateLimits = limits }, seed: 1));
    }

    private static ServerDecision Send(ServerResponder server, byte[] request, ClientAddress client, long mono = 10 * Second) =>
        server.Respond(request, client, s_receive, mono, new byte[80], out _);

    [Fact]
    public void Ignore_DropsEverything_TimeAndQueries()
    {
        ServerResponder server = Server("restrict 192.0.2.0 mask 255.255.255.0 ignore\n");
        Assert.Equal(ServerDecision.DropIgnored, Send(server, Request(), s_client));
        Assert.Equal(ServerDecision.DropIgnored, server.AdmitQuery([0x16, 1, 0, 0], s_client, s_receive, Second, out _));
        Assert.Equal(2, server.Counters.DroppedIgnored);
        Assert.Equal(0, server.Access!.Mru.Count);
        Assert.Equal(ServerDecision.Reply, Send(server, Request(), AccessTestConfig.Address("192.0.3.1")));
    }

    [Fact]
    public void NoServe_DropsTimeButNotQueries()
    {
        ServerResponder server = Server("restrict default noserve\n");
        Assert.Equal(ServerDecision.DropNoServe, Send(server, Request(), s_client));
        Assert.Equal(ServerDecision.DropNoServe, Send(server, Request(mode: NtpMode.SymmetricActive), s_client));
        Assert.Equal(ServerDecision.Control, server.AdmitQuery([0x16, 1, 0, 0], s_client, s_receive, Second, out _));
        Assert.Equal(2, server.Counters.DroppedNoServe);
    }

    [Fact]
    public void NoQuery_DropsQueriesButServesTime()
    {
        ServerResponder server = Server("restrict default noquery nomodify\n");
        Assert.Equal(ServerDecision.DropNoQuery, server.AdmitQuery([0x16, 2, 0, 1], s_client, s_receive, Second, out _));
        Assert.Equal(ServerDecision.DropNoQuery, server.AdmitQuery([0x17, 0, 0, 4], s_client, s_receive, Second, out _));
        Assert.Equal(ServerDecision.Reply, Send(server, Request(), s_client));
        Assert.Equal(2, server.Counters.DroppedNoQuery);
    }

    [Fact]
    public void AdmitQuery_PassesTheRestrictFlagsOnForTheControlResponder()
    {
        ServerResponder server = Server("restrict default nomodify notrap nomrulist\n");
        Assert.Equal(ServerDecision.Control, server.AdmitQuery([0x16, 2, 0, 1], s_client, s_receive, Second, out RestrictFlags flags));
        Assert.Equal(RestrictFlags.NoModify | RestrictFlags.NoTrap | RestrictFlags.NoMruList, flags);
    }

    [Fact]
    public void NoPeer_DropsSymmetricActiveOnly()
    {
        ServerResponder server = Server("restrict default nopeer\n");
        Assert.Equal(ServerDecision.DropNoPeer, Send(server, Request(mode: NtpMode.SymmetricActive), s_client));
        Assert.Equal(ServerDecision.Reply, Send(server, Request(), s_client));
        Assert.Equal(1, server.Counters.DroppedNoPeer);
    }

    [Fact]
    public void Version_DropsOlderVersions()
    {
        ServerResponder server = Server("restrict default version\n");
        Assert.Equal(ServerDecision.DropVersionRestricted, Send(server, Request(version: 3), s_client));
        Assert.Equal(ServerDecision.DropVersionRestricted, Send(server, Request(version: 1, mode: NtpMode.Reserved), s_client));
        Assert.Equal(ServerDecision.Reply, Send(server, Request(version: 4), s_client));
        Assert.Equal(2, server.Counters.DroppedVersionRestricted);
    }

    [Fact]
    public void NoTrust_DropsEveryRequestThatIsNotAuthenticated()
    {
        // ntpd: "deny service unless the packet is cryptographically authenticated". A MAC that does
        // not verify with a trusted key (none here) is no better than none (AuthenticationTests).
        ServerResponder server = Server("restrict default notrust\n");
        Assert.Equal(ServerDecision.DropNotTrusted, Send(server, Request(), s_client));
        Assert.Equal(ServerDecision.DropNotTrusted, Send(server, Request(macLength: 20), s_client));
        Assert.Equal(0, server.Counters.CryptoNaks);
        Assert.Equal(2, server.Counters.DroppedNotTrusted);
    }

    [Fact]
    public void NtpPort_EntryAppliesOnlyToSourcePort123()
    {
        ServerResponder server = Server("restrict 192.0.2.10 ntpport ignore\n");
        Assert.Equal(ServerDecision.DropIgnored, Send(server, Request(), s_client.WithPort(123)));
        Assert.Equal(ServerDecision.Reply, Send(server, Request(), s_client.WithPort(1123)));
    }

    [Fact]
    public void SourcePortZero_IsDroppedAsBogus()
    {
        ServerResponder server = Server("");
        Assert.Equal(ServerDecision.DropBogusPort, Send(server, Request(), s_client.WithPort(0)));
        Assert.Equal(ServerDecision.DropBogusPort, server.AdmitQuery([0x16, 1, 0, 0], s_client.WithPort(0), s_receive, Second, out _));
        Assert.Equal(2, server.Counters.DroppedBogusPort);
    }

    [Fact]
    public void Multicast_Source_IsIgnored()
    {
        ServerResponder server = Server("");
        Assert.Equal(ServerDecision.DropIgnored, Send(server, Request(), AccessTestConfig.Address("224.0.1.1")));
    }

    [Fact]
    public void LimitedKod_OverTheRate_SendsRateKissWithRequestTimestamps()
    {
        ServerResponder server = Server("restrict default limited kod\n", RateLimitSettings.Default with { LeakReplies = false });
        Assert.Equal(ServerDecision.Reply, Send(server, Request(poll: 3), s_client, 10 * Second));
        var reply = new byte[80];
        ServerDecision decision = server.Respond(Request(poll: 3, mode: NtpMode.Client), s_client, s_receive, 10 * Second + (Second / 10), reply, out int length);
        Assert.Equal(ServerDecision.Kod, decision);
        Assert.Equal(48, length);
        NtpHeader kiss = NtpHeader.Read(reply);
        Assert.Equal(LeapIndicator.Unsynchronized, kiss.Leap);
        Assert.Equal(0, kiss.Stratum);
        Assert.Equal(NtpMode.Server, kiss.Mode);
        Assert.Equal("RATE", kiss.ReferenceId.ToAscii());
        Assert.Equal(s_clientTransmit, kiss.OriginTime);
        Assert.Equal(s_clientTransmit, kiss.ReceiveTime);
        Assert.Equal(s_clientTransmit, kiss.TransmitTime);
        Assert.Equal(RateLimitSettings.DefaultAverageLog2Seconds, kiss.Poll);
        Assert.Equal(1, server.Counters.KodSent);
        // The next over-rate request gets nothing: KoDs are rate limited too.
        Assert.Equal(ServerDecision.DropRateLimited, Send(server, Request(), s_client, 10 * Second + (Second / 5)));
        Assert.Equal(2, server.Counters.RateLimited);
    }

    [Fact]
    public void LimitedKod_SymmetricActiveOverTheRate_KissHasPassiveMode()
    {
        ServerResponder server = Server("restrict default limited kod\n");
        Send(server, Request(mode: NtpMode.SymmetricActive), s_client, 10 * Second);
        var reply = new byte[80];
        Assert.Equal(ServerDecision.Kod, server.Respond(Request(mode: NtpMode.SymmetricActive), s_client, s_receive, 10 * Second, reply, out _));
        Assert.Equal(NtpMode.SymmetricPassive, NtpHeader.Read(reply).Mode);
    }

    [Fact]
    public void Limited_OverTheRate_LeakReplyIsANormalReplyAndCounted()
    {
        ServerResponder server = Server("restrict default limited\n");
        Assert.Equal(ServerDecision.Reply, Send(server, Request(), s_client, 10 * Second));
        var reply = new byte[80];
        Assert.Equal(ServerDecision.Reply, server.Respond(Request(), s_client, s_receive, 10 * Second + 1, reply, out _));
        Assert.Equal(11, NtpHeader.Read(reply).Stratum);
        Assert.Equal(1, server.Counters.LeakReplies);
        Assert.Equal(ServerDecision.DropRateLimited, Send(server, Request(), s_client, 10 * Second + 2));
    }

    [Fact]
    public void Malformed_IsDroppedAndNotRecorded()
    {
        ServerResponder server = Server("");
        Assert.Equal(ServerDecision.DropMalformed, Send(server, new byte[30], s_client));
        Assert.Equal(ServerDecision.DropMode, Send(server, Request(mode: NtpMode.Server), s_client));
        Assert.Equal(0, server.Access!.Mru.Count);
    }

    [Fact]
    public void Respond_UnderAccessControl_AllocatesNothing()
    {
        ServerResponder server = Server("restrict default limited kod nopeer noquery\nrestrict 192.0.2.0 mask 255.255.255.0 nomodify\n");
        byte[] request = Request();
        var reply = new byte[80];
        var clients = new ClientAddress[256];
        for (int i = 0; i < clients.Length; i++)
        {
            clients[i] = ClientAddress.FromIPv4(0xC6336400u + (uint)i, 40000); // 198.51.100.i: the limited default
        }

        for (int i = 0; i < 2000; i++)
        {
            server.Respond(request, clients[i & 255], s_receive, i * Second / 100, reply, out _);
            server.AdmitQuery(request, clients[i & 255], s_receive, i * Second / 100, out _);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 2000; i < 12000; i++)
        {
            server.Respond(request, clients[i & 255], s_receive, i * Second / 100, reply, out _);
            server.AdmitQuery(request, clients[i & 255], s_receive, i * Second / 100, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(server.Counters.Replied > 0);
        Assert.True(server.Counters.RateLimited > 0);
    }
}
