// The simulated server answers a mode 3 request with a correct mode 4 reply built by the real
// ServerResponder: origin echoed, receive = transmit (zero processing time), stratum, refid and
// leap as configured, and its own clock's time in the stamps.
using System.Net;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Simulation.Nodes;

namespace Stratum.Simulation.Tests.Nodes;

public class SimulatedServerTests
{
    private sealed class OneRequestClient(IPEndPoint server) : ISimulatedClient
    {
        public NtpTimestamp Transmit { get; private set; }

        public byte[]? Reply { get; private set; }

        public long NextDeadline => long.MaxValue;

        public void Start(SimContext context)
        {
            Transmit = NtpTimestamp.FromUnixNanoseconds(context.Clock.ReadRealtimeNanoseconds());
            byte[] request = new byte[NtpHeader.Size];
            new NtpHeader(LeapIndicator.Unsynchronized, 4, NtpMode.Client, 0, 6, -20, default, default, ReferenceId.None,
                NtpTimestamp.Zero, NtpTimestamp.Zero, NtpTimestamp.Zero, Transmit).Write(request);
            context.Send(server, request);
        }

        public void OnDatagram(SimContext context, ReadOnlySpan<byte> datagram, IPEndPoint source, IPEndPoint destination, long receiveRealtimeNanoseconds) =>
            Reply = datagram.ToArray();

        public void OnTimer(SimContext context)
        {
        }
    }

    [Fact]
    public void Respond_ClientRequest_Mode4WithConfiguredFields()
    {
        var simulator = new Simulator(new SimulatorOptions(Seed: 2));
        var server = new SimulatedServer(stratum: 2, ReferenceId.FromAscii("GPS")) { Leap = LeapIndicator.InsertSecond };
        SimulatedNode serverNode = simulator.AddNode("server", server, new NodeOptions(InitialOffsetSeconds: 2.0));
        var client = new OneRequestClient(serverNode.Endpoint);
        simulator.AddNode("client", client);
        simulator.RunUntil(5);

        Assert.NotNull(client.Reply);
        Assert.True(NtpPacket.TryRead(client.Reply, out NtpPacket packet, out _));
        NtpHeader header = packet.Header;
        Assert.Equal(NtpMode.Server, header.Mode);
        Assert.Equal(4, header.Version);
        Assert.Equal(2, header.Stratum);
        Assert.Equal(LeapIndicator.InsertSecond, header.Leap);
        Assert.Equal(ReferenceId.FromAscii("GPS"), header.ReferenceId);
        Assert.Equal(client.Transmit, header.OriginTime);
        Assert.Equal(header.ReceiveTime.Raw & ~1UL, header.TransmitTime.Raw); // the receive stamp's lowest bit marks it (RFC 9769)
        // The server's clock is 2 s ahead; the request took at least the 100 µs floor.
        double serverAhead = (header.ReceiveTime - client.Transmit).TotalSeconds;
        Assert.InRange(serverAhead, 2.0001, 2.01);
        Assert.Equal(1, server.Counters.Received);
    }
}
