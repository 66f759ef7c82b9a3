// Group delivery of the simulated network: a datagram to the subnet's broadcast address or to a
// multicast group is copied to every node but the sender, each copy over its own link (its delay,
// its loss), with the group address kept as the destination; an address that is neither a node nor a
// group is still dropped, and a unicast datagram still reaches only its node.
using System.Net;
using Stratum.Simulation.Network;
using Stratum.Simulation.Randomness;

namespace Stratum.Simulation.Tests.Network;

public class GroupDeliveryTests
{
    private static SimulatedNetwork FourNodes()
    {
        var network = new SimulatedNetwork(new SimulationRandom(3), DelayModel.Lan) { NodeCount = 4 };
        network.SetLink(1, 0, new DelayModel(1e-3));
        network.SetLink(1, 2, new DelayModel(2e-3));
        network.SetLink(1, 3, new DelayModel(3e-3, LossProbability: 1));
        return network;
    }

    [Theory]
    [InlineData("192.168.123.255")]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.1.1")]
    [InlineData("239.1.1.1")]
    public void GroupDatagram_ReachesEveryOtherNode_OverItsOwnLink(string group)
    {
        SimulatedNetwork network = FourNodes();
        var source = new IPEndPoint(SimulatedNetwork.AddressOf(1), 123);
        var destination = new IPEndPoint(IPAddress.Parse(group), 123);
        Assert.True(SimulatedNetwork.IsGroup(destination.Address));
        Assert.True(network.Send(1, source, destination, [42], 10));

        // Node 3's link loses everything: two copies, in arrival order, none back to the sender.
        Assert.Equal(2, network.InFlight);
        SimulatedDatagram first = network.Dequeue();
        SimulatedDatagram second = network.Dequeue();
        Assert.Equal((0, 10.001), (first.ToNode, first.ArrivalTime));
        Assert.Equal((2, 10.002), (second.ToNode, second.ArrivalTime));
        Assert.All([first, second], d => Assert.Equal(destination, d.Destination));
        Assert.All([first, second], d => Assert.Equal(source, d.Source));
        Assert.Equal(1, network.LinkOf(1, 3).Dropped);
    }

    [Fact]
    public void UnicastAndUnknownAddresses_AreUnchanged()
    {
        SimulatedNetwork network = FourNodes();
        var source = new IPEndPoint(SimulatedNetwork.AddressOf(1), 123);
        Assert.True(network.Send(1, source, new IPEndPoint(SimulatedNetwork.AddressOf(2), 123), [1], 0));
        Assert.False(network.Send(1, source, new IPEndPoint(IPAddress.Parse("10.0.0.255"), 123), [2], 0));
        Assert.False(network.Send(1, source, source, [3], 0));
        SimulatedDatagram only = Assert.Single(Enumerable.Range(0, network.InFlight).Select(_ => network.Dequeue()));
        Assert.Equal(2, only.ToNode);
        Assert.False(SimulatedNetwork.IsMulticast(SimulatedNetwork.BroadcastAddress));
    }
}
