// No amplification (ARCHITECTURE.md §3): for every mode an unauthenticated client can
// send, the answer is never larger than the request — except mode 6, whose protocol answers a
// 12-byte READVAR with hundreds of bytes. Mode 6 is therefore behind restrict `noquery` and an
// always-on query rate limit; these tests measure the ratio per mode and show that the mode 6
// output a spoofing attacker can draw stays bounded by that limit.
using Stratum.Core.Mode6;
using Stratum.Core.Mode7;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Access;
using Stratum.Engine.Associations;
using Stratum.Engine.Server;
using Stratum.Engine.Tests.Access;

namespace Stratum.Engine.Tests.Server;

public class AmplificationTests
{
    private const long Second = LoopTime.NanosecondsPerSecond;

    // A bare `restrict default`: queries open to all, as ntpd answers them with any restrict line (with
    // none at all, queries are answered on loopback only: Mode6_WithoutAnyRestrictLine_OnLoopbackOnly).
    private static NtpEngine Engine(string restrictLines = "restrict default\n")
    {
        var locals = new[] { new LocalClockSettings(0, 10, 0, LocalClockSettings.DefaultReferenceId, false) };
        var configuration = new EngineConfiguration(locals, [], false, null, AccessTestConfig.Settings(restrictLines));
        var engine = new NtpEngine(configuration, -24);
        var clock = new EngineTestClock();
        engine.Start(clock.Now, new EngineActions());
        clock.Advance(70);
        engine.OnTimer(clock.Now, new EngineActions());
        return engine;
    }

    public static TheoryData<int, int, int> TimeModes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int mode in new[] { 0, 1, 2, 3, 4, 5 })
        {
            foreach (int version in new[] { 1, 2, 3, 4 })
            {
                foreach (int extra in new[] { 0, 4, 20, 24 })
                {
                    if (version < 4 && extra == 4)
                    {
                        continue;
                    }

                    data.Add(mode, version, extra);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TimeModes))]
    public void TimeModes_ReplyNeverLargerThanRequest(int mode, int version, int macLength)
    {
        NtpEngine engine = Engine();
        var request = new byte[48 + macLength];
        request[0] = (byte)((version << 3) | mode);
        NtpTimestamp.FromParts(0xeeadf1fb, 1).Write(request.AsSpan(40));
        var reply = new byte[128];
        ServerDecision decision = engine.Server.Respond(request, AccessTestConfig.Address("192.0.2.1"), NtpTimestamp.FromParts(0xeeadf1fb, 2), 100 * Second, reply, out int length);
        if (decision is ServerDecision.Reply or ServerDecision.Kod)
        {
            Assert.InRange(length, 48, request.Length);
        }
        else
        {
            Assert.Equal(0, length);
        }

        // Only client, symmetric active and NTPv1's mode 0 are answered.
        bool answered = mode is 1 or 3 || (mode == 0 && version == 1);
        Assert.Equal(answered, decision == ServerDecision.Reply);
    }

    [Fact]
    public void Kod_NeverLargerThanRequest()
    {
        NtpEngine engine = Engine("restrict default limited kod\n");
        var request = new byte[48];
        request[0] = 0x23;
        var reply = new byte[128];
        engine.Server.Respond(request, AccessTestConfig.Address("192.0.2.1"), default, 100 * Second, reply, out _);
        Assert.Equal(ServerDecision.Kod, engine.Server.Respond(request, AccessTestConfig.Address("192.0.2.1"), default, 100 * Second, reply, out int length));
        Assert.Equal(48, length);
    }

    [Theory]
    [InlineData(Mode7RequestCode.SystemInfo)]
    [InlineData(Mode7RequestCode.PeerList)]
    [InlineData(Mode7RequestCode.SystemStats)]
    public void Mode7_OffByDefault_NoReplyAtAll(Mode7RequestCode code)
    {
        NtpEngine engine = Engine();
        var request = new byte[Mode7Message.RequestLength];
        Mode7Message.Write(Mode7Header.ForRequest(Mode7Implementation.Xntpd, code), [], request);
        Assert.Equal(ServerDecision.Control, engine.Server.AdmitQuery(request, AccessTestConfig.Address("192.0.2.1"), default, Second, out _));
        Assert.Empty(engine.Control.Mode7.Respond(request, new EngineTestClock().Now));
    }

    [Theory]
    [InlineData(Mode7RequestCode.SystemInfo)]
    [InlineData(Mode7RequestCode.PeerList)]
    [InlineData(Mode7RequestCode.SystemStats)]
    [InlineData(Mode7RequestCode.IoStats)]
    public void Mode7_Enabled_AnswerNeverLargerThanRequest(Mode7RequestCode code)
    {
        NtpEngine engine = Engine();
        engine.Control.Host.Mode7Enabled = true;
        foreach (int size in new[] { Mode7Message.HeaderSize, Mode7Message.RequestLength })
        {
            var request = new byte[Mode7Message.RequestLength];
            Mode7Message.Write(Mode7Header.ForRequest(Mode7Implementation.Xntpd, code), [], request);
            IReadOnlyList<byte[]> answer = engine.Control.Mode7.Respond(request.AsSpan(0, size), new EngineTestClock().Now);
            Assert.True(answer.Sum(d => d.Length) <= size, $"{code}: {answer.Sum(d => d.Length)} bytes for a {size}-byte request");
        }
    }

    [Fact]
    public void Mode6_RepliesAreLarger_SoTheyAreBehindNoQuery()
    {
        NtpEngine open = Engine();
        byte[] request = ReadVariables(1);
        int answered = open.Control.Respond(request, new EngineTestClock().Now).Sum(d => d.Length);
        // The protocol's own answer: far larger than the 12-byte request (documented exception).
        Assert.True(answered > 4 * request.Length, $"READVAR answered with {answered} bytes");

        NtpEngine closed = Engine("restrict default noquery\n");
        Assert.Equal(ServerDecision.DropNoQuery, closed.Server.AdmitQuery(request, AccessTestConfig.Address("192.0.2.1"), default, Second, out _));
    }

    [Fact]
    public void Mode6_WithoutAnyRestrictLine_OnLoopbackOnly()
    {
        NtpEngine bare = Engine("");
        byte[] request = ReadVariables(1);
        Assert.Equal(ServerDecision.DropNoQuery, bare.Server.AdmitQuery(request, AccessTestConfig.Address("192.0.2.1"), default, Second, out _));
        Assert.Equal(ServerDecision.Control, bare.Server.AdmitQuery(request, AccessTestConfig.Address("127.0.0.1"), default, Second, out _));
        Assert.Equal(ServerDecision.Control, bare.Server.AdmitQuery(request, AccessTestConfig.Address("::1"), default, Second, out _));
    }

    [Fact]
    public void Mode6_SpoofedFlood_AmplifiedBytesBoundedByTheQueryRateLimit()
    {
        // One victim address spoofed at 10,000 queries/s for 10 s: the gate lets through the burst
        // and then 8 per second, so the victim receives a bounded trickle, not 40x the flood.
        NtpEngine engine = Engine();
        byte[] request = ReadVariables(1);
        ClientAddress victim = AccessTestConfig.Address("203.0.113.9", 123);
        long requestBytes = 0;
        long replyBytes = 0;
        int admitted = 0;
        for (int i = 0; i < 100_000; i++)
        {
            long mono = (100 * Second) + (i * Second / 10_000);
            requestBytes += request.Length;
            if (engine.Server.AdmitQuery(request, victim, default, mono, out _) == ServerDecision.Control)
            {
                admitted++;
                replyBytes += engine.Control.Respond(request, new LoopTime(mono, default)).Sum(d => d.Length);
            }
        }

        Assert.InRange(admitted, 32 + 79, 32 + 81);
        double ratio = (double)replyBytes / requestBytes;
        Assert.True(ratio < 0.1, $"reply/request byte ratio {ratio:F3}");
        Assert.Equal(100_000 - admitted, engine.Server.Counters.DroppedQueryRate);
    }

    private static byte[] ReadVariables(ushort sequence)
    {
        var request = new byte[ControlMessage.HeaderSize];
        ControlMessage.Write(ControlHeader.Request(ControlOpcode.ReadVariables, sequence, 0, 0), [], request);
        return request;
    }
}
