// SimulatedNetwork: the virtual UDP network of docs/simulation.md "Network". Each node has an address
// 192.168.123.(index + 1); each direction has a NetworkLink (an explicit one, or one with the default
// delay model created the first time the direction is used). A sent datagram arrives at
// send_time + delay; the queue is ordered by arrival time, ties by send order, so jitter can reorder
// packets and the order is always deterministic. A datagram to the subnet's broadcast address
// (192.168.123.255, or 255.255.255.255) or to a multicast group (224.0.0.0/4) reaches every other node,
// one copy per node in index order, each with its own link's delay draw and loss; every node is in
// every group. Limits: no TCP, group membership, TTL or bandwidth model.
using System.Net;
using Stratum.Simulation.Randomness;

namespace Stratum.Simulation.Network;

/// <summary>Links between nodes and the queue of datagrams in flight.</summary>
public sealed class SimulatedNetwork
{
    private readonly SimulationRandom _master;
    private readonly Dictionary<(int From, int To), NetworkLink> _links = [];
    private readonly PriorityQueue<SimulatedDatagram, (double Arrival, long Sequence)> _inFlight = new();
    private long _sequence;

    public SimulatedNetwork(SimulationRandom master, DelayModel defaultDelay)
    {
        _master = master;
        DefaultDelay = defaultDelay;
    }

    /// <summary>The delay model of directions never configured.</summary>
    public DelayModel DefaultDelay { get; set; }

    public int InFlight => _inFlight.Count;

    /// <summary>Nodes a broadcast or multicast datagram is copied to (the simulator counts them as it adds them).</summary>
    public int NodeCount { get; set; }

    /// <summary>The simulated subnet's broadcast address, 192.168.123.255.</summary>
    public static IPAddress BroadcastAddress { get; } = new(new byte[] { 192, 168, 123, 255 });

    /// <summary>True for an IPv4 multicast group (224.0.0.0/4).</summary>
    public static bool IsMulticast(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        byte[] bytes = address.GetAddressBytes();
        return bytes.Length == 4 && (bytes[0] & 0xF0) == 0xE0;
    }

    /// <summary>True for an address every node receives: the subnet's broadcast address, 255.255.255.255, or a multicast group.</summary>
    public static bool IsGroup(IPAddress address) =>
        IsMulticast(address) || address.Equals(BroadcastAddress) || address.Equals(IPAddress.Broadcast);

    /// <summary>The address of node <paramref name="index"/>.</summary>
    public static IPAddress AddressOf(int index)
    {
        if (index < 0 || index > 253)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "at most 254 nodes");
        }

        return new IPAddress(new byte[] { 192, 168, 123, (byte)(index + 1) });
    }

    /// <summary>The node index of <paramref name="address"/>, or −1 when it is not a node.</summary>
    public static int IndexOf(IPAddress address)
    {
        byte[] bytes = address.GetAddressBytes();
        return bytes.Length == 4 && bytes[0] == 192 && bytes[1] == 168 && bytes[2] == 123 && bytes[3] is >= 1 and <= 254
            ? bytes[3] - 1
            : -1;
    }

    /// <summary>Sets the delay of direction <paramref name="fromNode"/> → <paramref name="toNode"/>, with a fresh stream.</summary>
    public NetworkLink SetLink(int fromNode, int toNode, DelayModel delay)
    {
        var link = new NetworkLink(fromNode, toNode, delay, _master.CreateStream());
        _links[(fromNode, toNode)] = link;
        return link;
    }

    /// <summary>The link of a direction, created with the default model on first use.</summary>
    public NetworkLink LinkOf(int fromNode, int toNode)
    {
        if (!_links.TryGetValue((fromNode, toNode), out NetworkLink? link))
        {
            link = SetLink(fromNode, toNode, DefaultDelay);
        }

        return link;
    }

    /// <summary>Queues a datagram sent at true time <paramref name="sendTime"/>; false when it is lost (a group
    /// datagram: when every copy is).</summary>
    public bool Send(int fromNode, IPEndPoint source, IPEndPoint destination, ReadOnlySpan<byte> payload, double sendTime)
    {
        if (IsGroup(destination.Address))
        {
            bool queued = false;
            for (int toNode = 0; toNode < NodeCount; toNode++)
            {
                if (toNode != fromNode)
                {
                    queued |= Enqueue(fromNode, toNode, source, destination, payload, sendTime);
                }
            }

            return queued;
        }

        int to = IndexOf(destination.Address);
        return to >= 0 && to != fromNode && Enqueue(fromNode, to, source, destination, payload, sendTime);
    }

    // One copy over the link fromNode → toNode: its delay drawn, or lost.
    private bool Enqueue(int fromNode, int toNode, IPEndPoint source, IPEndPoint destination, ReadOnlySpan<byte> payload, double sendTime)
    {
        double? delay = LinkOf(fromNode, toNode).NextDelay();
        if (delay is not double seconds)
        {
            return false;
        }

        double arrival = sendTime + seconds;
        _inFlight.Enqueue(
            new SimulatedDatagram(fromNode, toNode, source, destination, payload.ToArray(), sendTime, arrival),
            (arrival, _sequence++));
        return true;
    }

    /// <summary>The earliest arrival time, or +∞ when nothing is in flight.</summary>
    public double NextArrivalTime => _inFlight.TryPeek(out _, out (double Arrival, long Sequence) key) ? key.Arrival : double.PositiveInfinity;

    /// <summary>Removes and returns the earliest datagram.</summary>
    public SimulatedDatagram Dequeue() => _inFlight.Dequeue();
}
