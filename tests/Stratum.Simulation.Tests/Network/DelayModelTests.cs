// The network model (docs/simulation.md "Network"): base + scale × Exp(1) delays with the right mean and
// floor, uniform jitter, the loss rate, and an arrival queue ordered by arrival time.
using System.Net;
using Stratum.Simulation.Network;
using Stratum.Simulation.Randomness;

namespace Stratum.Simulation.Tests.Network;

public class DelayModelTests
{
    [Fact]
    public void Sample_BasePlusExponential_MeanAndFloor()
    {
        var random = new SimulationRandom(7);
        DelayModel model = DelayModel.Lan;
        double sum = 0;
        double minimum = double.MaxValue;
        const int draws = 200_000;
        for (int i = 0; i < draws; i++)
        {
            double delay = model.Sample(random);
            sum += delay;
            minimum = Math.Min(minimum, delay);
        }

        Assert.Equal(2e-4, sum / draws, 2e-6);
        Assert.True(minimum >= 1e-4);
        Assert.True(minimum < 1.01e-4);
    }

    [Fact]
    public void Sample_UniformJitter_WithinRangeAndMean()
    {
        var random = new SimulationRandom(8);
        var model = new DelayModel(1e-3, UniformJitterSeconds: 2e-3);
        double sum = 0;
        for (int i = 0; i < 100_000; i++)
        {
            double delay = model.Sample(random);
            Assert.InRange(delay, 1e-3, 3e-3);
            sum += delay;
        }

        Assert.Equal(model.MeanSeconds, sum / 100_000, 2e-5);
    }

    [Fact]
    public void NextDelay_LossProbability_DropsThatShare()
    {
        var link = new NetworkLink(0, 1, new DelayModel(1e-4, LossProbability: 0.2), new SimulationRandom(9));
        int delivered = 0;
        for (int i = 0; i < 100_000; i++)
        {
            if (link.NextDelay() is not null)
            {
                delivered++;
            }
        }

        Assert.Equal(100_000, link.Sent);
        Assert.Equal(100_000 - delivered, link.Dropped);
        Assert.Equal(0.2, link.Dropped / 100_000.0, 0.005);
    }

    [Fact]
    public void NextDelay_NonPositiveDelay_Drops()
    {
        var link = new NetworkLink(0, 1, new DelayModel(0), new SimulationRandom(1));
        Assert.Null(link.NextDelay());
        Assert.Equal(1, link.Dropped);
    }

    [Fact]
    public void Send_JitterReorders_QueueOrderedByArrival()
    {
        var network = new SimulatedNetwork(new SimulationRandom(5), new DelayModel(1e-4, 1e-2));
        var source = new IPEndPoint(SimulatedNetwork.AddressOf(0), 123);
        var destination = new IPEndPoint(SimulatedNetwork.AddressOf(1), 123);
        for (int i = 0; i < 200; i++)
        {
            Assert.True(network.Send(0, source, destination, [(byte)i], i * 1e-3));
        }

        double previousArrival = 0;
        bool reordered = false;
        int previousPayload = -1;
        while (network.InFlight > 0)
        {
            SimulatedDatagram datagram = network.Dequeue();
            Assert.True(datagram.ArrivalTime >= previousArrival);
            reordered |= datagram.Payload[0] < previousPayload;
            previousArrival = datagram.ArrivalTime;
            previousPayload = datagram.Payload[0];
        }

        Assert.True(reordered);
    }

    [Fact]
    public void Links_HaveIndependentStreams()
    {
        static double[] Draw(NetworkLink link, int count)
        {
            double[] values = new double[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = link.NextDelay() ?? -1;
            }

            return values;
        }

        var first = new SimulatedNetwork(new SimulationRandom(11), DelayModel.Lan);
        NetworkLink a1 = first.SetLink(0, 1, DelayModel.Lan);
        NetworkLink b1 = first.SetLink(1, 0, DelayModel.Lan);
        var second = new SimulatedNetwork(new SimulationRandom(11), DelayModel.Lan);
        NetworkLink a2 = second.SetLink(0, 1, DelayModel.Lan);
        NetworkLink b2 = second.SetLink(1, 0, DelayModel.Lan);

        // Heavy traffic on a1 does not shift b1's sequence.
        Draw(a1, 1000);
        Assert.Equal(Draw(b2, 10), Draw(b1, 10));
        Assert.Equal(Draw(a2, 1000)[..10], Draw(new SimulatedNetwork(new SimulationRandom(11), DelayModel.Lan).SetLink(0, 1, DelayModel.Lan), 10));
    }
}
