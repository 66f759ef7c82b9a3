// Request MACs and the rate limit (restrict `limited`): a request over the rate that is dropped is
// dropped before its MAC is computed, so a flood of signed requests costs no digests
// (ServerCounters.MacsChecked counts every MAC computed); a KoD carries no MAC, so its request's MAC
// is checked only under `notrust`; and the KoD and `notrust` rules stay what they were: a KoD only
// to a source that may be served, `notrust` refuses a bad MAC.
using Stratum.Core.Auth;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Access;
using Stratum.Engine.Server;
using Stratum.Engine.SystemState;
using Stratum.Engine.Tests.Access;

namespace Stratum.Engine.Tests.Server;

public class RateLimitedMacTests
{
    private const long Millisecond = 1_000_000;
    private const long Second = LoopTime.NanosecondsPerSecond;
    private static readonly SymmetricKey s_key = new(1, KeyType.Md5, "flood-key"u8, []);
    private static readonly SymmetricKey s_forged = new(1, KeyType.Md5, "not-the-key"u8, []);
    private static readonly KeyRing s_ring = new(new KeyTable([s_key]), [1u]);
    private static readonly ClientAddress s_client = AccessTestConfig.Address("192.0.2.10", 40000);

    private static byte[] Signed(SymmetricKey key)
    {
        var request = new byte[48 + 24];
        request[0] = 0x23;
        NtpTimestamp.FromParts(0xeeadf1fb, 0x12345678).Write(request.AsSpan(40));
        return request[..PacketMac.Append(key, request, 48)];
    }

    private static ServerResponder Server(string restrict, bool leak = true)
    {
        var system = new SystemVariables(-24);
        system.Update(LeapIndicator.NoWarning, 2, ReferenceId.FromAscii("GPS"), 0, 0.001, new EngineTestClock().Now, "x");
        AccessSettings settings = AccessTestConfig.Settings(restrict);
        settings = settings with { RateLimits = settings.RateLimits with { LeakReplies = leak } };
        return new ServerResponder(system, new AccessControl(settings, seed: 7)) { Keys = s_ring };
    }

    private static ServerDecision Ask(ServerResponder server, byte[] request, long mono) =>
        server.Respond(request, s_client, NtpTimestamp.FromParts(0xeeadf1fc, 0), mono, new byte[80], out _);

    [Theory]
    [InlineData("restrict default limited\n", true)]
    [InlineData("restrict default limited\n", false)]
    [InlineData("restrict default limited kod\n", true)]
    [InlineData("restrict default limited notrust\n", true)]
    [InlineData("restrict default limited kod notrust\n", false)]
    public void SignedFlood_OverTheRate_DroppedWithoutComputingMacs(string restrict, bool leak)
    {
        ServerResponder server = Server(restrict, leak);
        byte[] request = Signed(s_key);
        const int Flood = 2000;
        int answered = 0;
        for (int i = 0; i < Flood; i++)
        {
            // 2000 requests in 2 s from one client: all but a handful are over the rate.
            ServerDecision decision = Ask(server, request, (10 * Second) + (i * Millisecond));
            Assert.True(decision is ServerDecision.Reply or ServerDecision.Kod or ServerDecision.DropRateLimited, decision.ToString());
            answered += decision == ServerDecision.Reply ? 1 : 0;
        }

        ServerCounters counters = server.Counters;
        Assert.True(counters.DroppedRateLimited >= Flood - 10, $"{counters.DroppedRateLimited} dropped");
        // One MAC per reply (to sign it with the same key) and one per KoD under notrust; none for the drops.
        long kodMacs = restrict.Contains("notrust", StringComparison.Ordinal) ? counters.KodSent : 0;
        Assert.Equal(answered + kodMacs, counters.MacsChecked);
        Assert.Equal(answered, counters.MacsVerified - kodMacs);
        Assert.True(counters.MacsChecked <= 10, $"{counters.MacsChecked} MACs computed for a flood of {Flood}");
    }

    [Fact]
    public void LimitedKod_ForgedMac_KissWithoutMacCheck()
    {
        ServerResponder server = Server("restrict default limited kod\n", leak: false);
        Assert.Equal(ServerDecision.Reply, Ask(server, Signed(s_key), 10 * Second));
        Assert.Equal(1, server.Counters.MacsChecked);

        // The KoD is due and carries no MAC: the request's (forged) MAC is not computed.
        Assert.Equal(ServerDecision.Kod, Ask(server, Signed(s_forged), (10 * Second) + Millisecond));
        Assert.Equal(1, server.Counters.MacsChecked);
        Assert.Equal(1, server.Counters.KodSent);
    }

    [Fact]
    public void LimitedKodNoTrust_KissOnlyForAValidMac()
    {
        ServerResponder forgedServer = Server("restrict default limited kod notrust\n", leak: false);
        Assert.Equal(ServerDecision.Reply, Ask(forgedServer, Signed(s_key), 10 * Second));
        Assert.Equal(ServerDecision.DropNotTrusted, Ask(forgedServer, Signed(s_forged), (10 * Second) + Millisecond));
        Assert.Equal(0, forgedServer.Counters.KodSent);

        ServerResponder validServer = Server("restrict default limited kod notrust\n", leak: false);
        Assert.Equal(ServerDecision.Reply, Ask(validServer, Signed(s_key), 10 * Second));
        Assert.Equal(ServerDecision.Kod, Ask(validServer, Signed(s_key), (10 * Second) + Millisecond));
        Assert.Equal(2, validServer.Counters.MacsChecked);
    }

    [Fact]
    public void NoTrust_WithinTheRate_ForgedMacStillRefused()
    {
        ServerResponder server = Server("restrict default limited notrust\n");
        Assert.Equal(ServerDecision.DropNotTrusted, Ask(server, Signed(s_forged), 10 * Second));
        Assert.Equal(1, server.Counters.MacsChecked);
        Assert.Equal(ServerDecision.Reply, Ask(server, Signed(s_key), 30 * Second));
    }
}
