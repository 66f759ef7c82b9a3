// The interleaved client/server mode end to end in the Engine (RFC 9769 §2): a client association with
// `xleave` against the Engine's own time server, the host's part played here (the server's software
// transmit stamp written 20 µs before the datagram really leaves, whose kernel stamp is then recorded).
// A basic exchange carries that 20 µs as a 10 µs offset error; from the third exchange on the replies
// are interleaved and the offset is exact. Without `xleave` nothing is interleaved.
using System.Net;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Associations;
using Stratum.Engine.Server;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Tests.Associations;

public class InterleavedClientTests
{
    private const double ServerAhead = 0.001;
    private const double OneWay = 0.000100;
    private const double SendPathDelay = 0.000020;

    private readonly EngineTestClock _clock = new();

    [Fact]
    public void WithXleave_RepliesBecomeInterleaved_AndTheKernelStampRemovesTheSendPathError()
    {
        (List<(bool Interleaved, double Offset)> samples, RemoteAssociation client) = Exchange(xleave: true, rounds: 6);
        Assert.False(samples[0].Interleaved);
        Assert.False(samples[1].Interleaved);
        Assert.All(samples.Skip(2), s => Assert.True(s.Interleaved));
        Assert.Equal(4, client.InterleavedReplies);
        // Basic: T3 early by 20 µs, offset low by 10 µs. Interleaved: the kernel stamp, no error.
        Assert.Equal(ServerAhead - (SendPathDelay / 2), samples[0].Offset, 9);
        Assert.All(samples.Skip(2), s => Assert.Equal(ServerAhead, s.Offset, 9));
    }

    [Fact]
    public void WithoutXleave_EveryReplyIsBasic()
    {
        (List<(bool Interleaved, double Offset)> samples, RemoteAssociation client) = Exchange(xleave: false, rounds: 4);
        Assert.All(samples, s => Assert.False(s.Interleaved));
        Assert.Equal(0, client.InterleavedReplies);
    }

    [Fact]
    public void AfterALostReply_OneBasicReply_ThenInterleavedAgain()
    {
        // The lost reply used the server's stamp of the exchange the next request names again: that request
        // gets a basic reply (a stamp is given once), and the one after it is interleaved.
        RemoteAssociation client = Client(xleave: true);
        ServerResponder server = Server();
        var samples = new List<(bool, double)>();
        Round(client, server, samples);
        Round(client, server, samples);
        Round(client, server, samples, lostReply: true);
        Round(client, server, samples);
        Round(client, server, samples);
        Assert.Equal(4, samples.Count);
        Assert.False(samples[2].Item1);
        Assert.True(samples[3].Item1);
        Assert.Equal(ServerAhead, samples[3].Item2, 9);
    }

    private (List<(bool Interleaved, double Offset)>, RemoteAssociation) Exchange(bool xleave, int rounds)
    {
        RemoteAssociation client = Client(xleave);
        ServerResponder server = Server();
        var samples = new List<(bool, double)>();
        for (int i = 0; i < rounds; i++)
        {
            Round(client, server, samples);
        }

        return (samples, client);
    }

    private RemoteAssociation Client(bool xleave)
    {
        var settings = new RemoteAssociationSettings(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 123), AssociationMode.Client, false, false, false, false, false,
            6, 10, 4, "10.0.0.1") { Xleave = xleave };
        var client = new RemoteAssociation(1, settings, new SeededRandom(7), new SystemVariables(-24));
        client.Start(_clock.Now);
        return client;
    }

    private ServerResponder Server()
    {
        var system = new SystemVariables(-24);
        system.Update(LeapIndicator.NoWarning, 1, ReferenceId.FromAscii("GPS"), 0, 0.0001, _clock.Now, "GPS");
        return new ServerResponder(system);
    }

    // One poll: request at T1, received T2 = T1 + one way (server clock ahead), software T3 5 µs later, the
    // datagram leaving 20 µs after that (the kernel stamp), arriving one way later.
    private void Round(RemoteAssociation client, ServerResponder server, List<(bool, double)> samples, bool lostReply = false)
    {
        _clock.Advance(Math.Max(0, client.NextPollMono - _clock.Mono) / 1e9);
        var request = new byte[48];
        Assert.Equal(48, client.OnTimer(_clock.Now, request));
        client.MarkSent(_clock.Now.Real);
        NtpDuration ahead = NtpDuration.FromSeconds(ServerAhead);
        _clock.Advance(OneWay);
        var reply = new byte[64];
        Assert.Equal(ServerDecision.Reply, server.Respond(request, _clock.Now.Real + ahead, _clock.Mono / 1e9, reply, out int length));
        _clock.Advance(0.000005);
        if (!server.ReplyIsInterleaved)
        {
            new NtpTimestamp((_clock.Now.Real + ahead).Raw & ~1UL).Write(reply.AsSpan(NtpHeader.TransmitTimeOffset));
        }

        _clock.Advance(SendPathDelay);
        if (server.ReplyCaptureKey != 0)
        {
            server.Interleaved.Record(server.ReplyCaptureKey, (_clock.Now.Real + ahead).Raw & ~1UL);
        }

        _clock.Advance(OneWay);
        if (lostReply)
        {
            return;
        }

        Assert.Equal(ReplyVerdict.Accepted, client.OnReply(reply.AsSpan(0, length), _clock.Now.Real, _clock.Mono / 1e9, -24, out ClockSample sample));
        samples.Add((client.LastReplyInterleaved, sample.Offset));
    }
}
