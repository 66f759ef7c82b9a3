// The stateless time server (RFC 5905 §8, §9.2): reply fields, versions, modes, unsynchronized
// state, crypto-NAK, drops with reasons, no allocation.
using System.Buffers.Binary;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Server;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Tests.Server;

public class ServerResponderTests
{
    private static readonly NtpTimestamp s_clientTransmit = NtpTimestamp.FromParts(0xeeadf1fb, 0x12345678);
    private static readonly NtpTimestamp s_receive = NtpTimestamp.FromParts(0xeeadf1fb, 0x22222222);

    private static byte[] Request(byte version, NtpMode mode, sbyte poll = 6, int extra = 0)
    {
        var data = new byte[48 + extra];
        data[0] = (byte)((version << 3) | (byte)mode);
        data[2] = (byte)poll;
        s_clientTransmit.Write(data.AsSpan(40));
        return data;
    }

    private static (SystemVariables System, ServerResponder Server) Synchronized()
    {
        var clock = new EngineTestClock();
        var system = new SystemVariables(-24);
        system.Update(LeapIndicator.NoWarning, 11, ReferenceId.FromAscii("LOCL"), 0.0, 0.001, clock.Now, "LOCAL(0)");
        return (system, new ServerResponder(system));
    }

    [Fact]
    public void Respond_ClientRequest_FillsReplyFromSystemVariables()
    {
        (SystemVariables system, ServerResponder server) = Synchronized();
        var reply = new byte[64];
        ServerDecision decision = server.Respond(Request(4, NtpMode.Client), s_receive, system.ReferenceMonoSeconds, reply, out int length);
        Assert.Equal(ServerDecision.Reply, decision);
        Assert.Equal(48, length);
        NtpHeader h = NtpHeader.Read(reply);
        Assert.Equal(LeapIndicator.NoWarning, h.Leap);
        Assert.Equal(4, h.Version);
        Assert.Equal(NtpMode.Server, h.Mode);
        Assert.Equal(11, h.Stratum);
        Assert.Equal(6, h.Poll);
        Assert.Equal(-24, h.Precision);
        Assert.Equal("LOCL", h.ReferenceId.Format(1));
        Assert.Equal(system.ReferenceTime, h.ReferenceTime);
        Assert.Equal(s_clientTransmit, h.OriginTime);
        Assert.Equal(new NtpTimestamp(s_receive.Raw | 1), h.ReceiveTime); // lowest bit set: RFC 9769's mark of our receive timestamps
        Assert.True(h.TransmitTime.IsZero); // stamped by the loop just before sending
        Assert.Equal(NtpShort.FromSeconds(0.001), h.RootDispersion);
        Assert.Equal(1, server.Counters.Replied);
    }

    [Fact]
    public void Respond_RootDispersion_GrowsAtPhi()
    {
        (SystemVariables system, ServerResponder server) = Synchronized();
        var reply = new byte[64];
        server.Respond(Request(4, NtpMode.Client), s_receive, system.ReferenceMonoSeconds + 1000, reply, out _);
        Assert.Equal(0.001 + 0.015, NtpHeader.Read(reply).RootDispersion.TotalSeconds, 4);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Respond_EchoesVersion(byte version)
    {
        (SystemVariables system, ServerResponder server) = Synchronized();
        var reply = new byte[64];
        Assert.Equal(ServerDecision.Reply, server.Respond(Request(version, NtpMode.Client), s_receive, system.ReferenceMonoSeconds, reply, out _));
        Assert.Equal(version, NtpHeader.Read(reply).Version);
    }

    [Fact]
    public void Respond_SymmetricActive_AnswersPassive()
    {
        (SystemVariables system, ServerResponder server) = Synchronized();
        var reply = new byte[64];
        Assert.Equal(ServerDecision.Reply, server.Respond(Request(4, NtpMode.SymmetricActive), s_receive, system.ReferenceMonoSeconds, reply, out _));
        Assert.Equal(NtpMode.SymmetricPassive, NtpHeader.Read(reply).Mode);
    }

    [Theory]
    [InlineData(NtpMode.Server)]
    [InlineData(NtpMode.Broadcast)]
    [InlineData(NtpMode.SymmetricPassive)]
    [InlineData(NtpMode.Reserved)]
    public void Respond_NonRequestModes_AreDropped(NtpMode mode)
    {
        (SystemVariables system, ServerResponder server) = Synchronized();
        Assert.Equal(ServerDecision.DropMode, server.Respond(Request(4, mode), s_receive, system.ReferenceMonoSeconds, new byte[64], out _));
        Assert.Equal(1, server.Counters.DroppedMode);
    }

    [Fact]
    public void Respond_Unsynchronized_SendsAlarmStratumZeroInit()
    {
        var system = new SystemVariables(-24);
        var server = new ServerResponder(system);
        var reply = new byte[64];
        server.Respond(Request(4, NtpMode.Client), s_receive, 0, reply, out _);
        NtpHeader h = NtpHeader.Read(reply);
        Assert.Equal(LeapIndicator.Unsynchronized, h.Leap);
        Assert.Equal(0, h.Stratum);
        Assert.Equal("INIT", h.ReferenceId.ToAscii());
    }

    [Fact]
    public void Respond_RequestWithMac_RepliesWithCryptoNakNoLongerThanRequest()
    {
        (SystemVariables system, ServerResponder server) = Synchronized();
        byte[] request = Request(4, NtpMode.Client, extra: 20);
        BinaryPrimitives.WriteUInt32BigEndian(request.AsSpan(48), 42);
        var reply = new byte[72];
        Assert.Equal(ServerDecision.Reply, server.Respond(request, s_receive, system.ReferenceMonoSeconds, reply, out int length));
        Assert.Equal(52, length);
        Assert.True(length <= request.Length);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(reply.AsSpan(48)));
    }

    [Theory]
    [InlineData(new byte[] { 0x23 }, ServerDecision.DropMalformed)]
    [InlineData(new byte[] { 0x2b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, ServerDecision.DropVersion)]
    [InlineData(new byte[] { 0x26, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, ServerDecision.DropMalformed)]
    public void Respond_Malformed_IsCountedAndDropped(byte[] request, ServerDecision expected)
    {
        (SystemVariables system, ServerResponder server) = Synchronized();
        Assert.Equal(expected, server.Respond(request, s_receive, system.ReferenceMonoSeconds, new byte[64], out int length));
        Assert.Equal(0, length);
        Assert.Equal(1, server.Counters.Dropped);
    }

    [Fact]
    public void Respond_AllocatesNothing()
    {
        (SystemVariables system, ServerResponder server) = Synchronized();
        byte[] request = Request(4, NtpMode.Client);
        var reply = new byte[64];
        server.Respond(request, s_receive, 0, reply, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            server.Respond(request, s_receive, i, reply, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
