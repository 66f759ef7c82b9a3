// The interleaved client/server mode on the server side (RFC 9769 §2): receive timestamps carry a set
// lowest bit; a client whose origin names one of them (bit set, its receive field not its transmit) gets
// its reply's kernel transmit stamp captured; the next request naming that reply gets it as transmit
// timestamp, with the request's receive field as origin — once; basic clients are never captured.
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Server;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Tests.Server;

public class InterleavedServerTests
{
    private static readonly NtpTimestamp s_clientTransmit = NtpTimestamp.FromParts(0xeeadf1fb, 0x12345670);
    private static readonly NtpTimestamp s_clientReceive = NtpTimestamp.FromParts(0xeeadf1fa, 0x77777770);

    private static byte[] Request(NtpTimestamp origin, NtpTimestamp receive, NtpTimestamp transmit, byte version = 4)
    {
        var header = new NtpHeader(LeapIndicator.NoWarning, version, NtpMode.Client, 0, 6, -20, default, default, default,
            NtpTimestamp.Zero, origin, receive, transmit);
        var data = new byte[48];
        header.Write(data);
        return data;
    }

    private static ServerResponder Server()
    {
        var clock = new EngineTestClock();
        var system = new SystemVariables(-24);
        system.Update(LeapIndicator.NoWarning, 2, ReferenceId.FromAscii("GPS"), 0, 0.001, clock.Now, "x");
        return new ServerResponder(system);
    }

    private static NtpHeader Answer(ServerResponder server, byte[] request, NtpTimestamp receive)
    {
        var reply = new byte[64];
        Assert.Equal(ServerDecision.Reply, server.Respond(request, receive, 100, reply, out _));
        return NtpHeader.Read(reply);
    }

    [Fact]
    public void ABasicClient_IsNeverCaptured()
    {
        ServerResponder server = Server();
        NtpHeader reply = Answer(server, Request(NtpTimestamp.Zero, NtpTimestamp.Zero, s_clientTransmit), NtpTimestamp.FromParts(0xeeadf1fb, 0x20000000));
        Assert.Equal(1u, reply.ReceiveTime.Raw & 1);
        Assert.Equal(0ul, server.ReplyCaptureKey);
        Assert.False(server.ReplyIsInterleaved);
        Assert.Equal(s_clientTransmit, reply.OriginTime);
    }

    [Fact]
    public void AnInterleavedClient_GetsTheKernelStampOfItsPreviousReply_Once()
    {
        ServerResponder server = Server();
        // Second request of a client: origin = our receive timestamp of its first reply (bit set): captured, basic.
        NtpHeader first = Answer(server, Request(NtpTimestamp.Zero, NtpTimestamp.Zero, s_clientTransmit), NtpTimestamp.FromParts(0xeeadf1fb, 0x10000000));
        NtpHeader second = Answer(server, Request(first.ReceiveTime, s_clientReceive, s_clientTransmit), NtpTimestamp.FromParts(0xeeadf1fc, 0x10000000));
        Assert.False(server.ReplyIsInterleaved);
        Assert.Equal(second.ReceiveTime.Raw, server.ReplyCaptureKey);
        Assert.Equal(s_clientTransmit, second.OriginTime);

        // The host read the kernel's stamp of the second reply back.
        var kernelStamp = NtpTimestamp.FromParts(0xeeadf1fc, 0x10080000);
        server.Interleaved.Record(server.ReplyCaptureKey, kernelStamp.Raw);

        // Third request names the second reply: interleaved, its stamp as transmit, the request's receive field as origin.
        var clientReceive2 = NtpTimestamp.FromParts(0xeeadf1fc, 0x20000000);
        byte[] third = Request(second.ReceiveTime, clientReceive2, NtpTimestamp.FromParts(0xeeadf1fd, 0x11111110));
        NtpHeader reply = Answer(server, third, NtpTimestamp.FromParts(0xeeadf1fd, 0x30000000));
        Assert.True(server.ReplyIsInterleaved);
        Assert.Equal(kernelStamp, reply.TransmitTime);
        Assert.Equal(clientReceive2, reply.OriginTime);
        Assert.Equal(NtpTimestamp.FromParts(0xeeadf1fd, 0x30000001), reply.ReceiveTime);
        Assert.Equal(reply.ReceiveTime.Raw, server.ReplyCaptureKey);

        // The same request again (a replay): the stamp was used, so a basic reply.
        Answer(server, third, NtpTimestamp.FromParts(0xeeadf1fd, 0x40000000));
        Assert.False(server.ReplyIsInterleaved);
        Assert.Equal(1, server.Interleaved.Hits);
    }

    [Fact]
    public void WithoutTheStamp_OrFromAnOlderVersion_TheReplyIsBasic()
    {
        ServerResponder server = Server();
        NtpHeader first = Answer(server, Request(NtpTimestamp.Zero, NtpTimestamp.Zero, s_clientTransmit), NtpTimestamp.FromParts(0xeeadf1fb, 0x10000000));
        NtpHeader second = Answer(server, Request(first.ReceiveTime, s_clientReceive, s_clientTransmit), NtpTimestamp.FromParts(0xeeadf1fc, 0x10000000));
        // No stamp recorded (the kernel gave none): basic.
        Answer(server, Request(second.ReceiveTime, s_clientReceive, s_clientTransmit), NtpTimestamp.FromParts(0xeeadf1fd, 0x10000000));
        Assert.False(server.ReplyIsInterleaved);

        // NTPv3 requests are never interleaved nor captured; nor are those whose receive field equals their transmit.
        Answer(server, Request(second.ReceiveTime, s_clientReceive, s_clientTransmit, version: 3), NtpTimestamp.FromParts(0xeeadf1fe, 0x10000000));
        Assert.Equal(0ul, server.ReplyCaptureKey);
        Answer(server, Request(second.ReceiveTime, s_clientTransmit, s_clientTransmit), NtpTimestamp.FromParts(0xeeadf1ff, 0x10000000));
        Assert.Equal(0ul, server.ReplyCaptureKey);
    }

    [Fact]
    public void Table_ANewEntryEvictsTheOneInItsSlot_AndAStampForTheEvictedReplyIsIgnored()
    {
        const ulong first = 0x100000001;
        ulong colliding = 0;
        for (ulong candidate = first + 2; colliding == 0; candidate += 2)
        {
            var probe = new InterleavedTransmitTable(2);
            probe.Expect(first);
            probe.Expect(candidate);
            probe.Record(first, 0x100000010);
            if (!probe.TryTake(first, out _))
            {
                colliding = candidate;
            }
        }

        var table = new InterleavedTransmitTable(2);
        table.Expect(first);
        table.Expect(colliding);
        table.Record(first, 0x100000010);
        table.Record(colliding, 0x100000020);
        Assert.False(table.TryTake(first, out _));
        Assert.True(table.TryTake(colliding, out ulong stamp));
        Assert.Equal(0x100000020ul, stamp);
        Assert.Equal(1, table.Misses);
    }
}
