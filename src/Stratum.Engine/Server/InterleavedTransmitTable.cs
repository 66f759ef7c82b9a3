// InterleavedTransmitTable: what the time server remembers to answer in interleaved mode (RFC 9769
// §2, the interleaved client/server mode as chrony and ntpd run it). A reply's transmit timestamp is
// written before the datagram leaves, so it is early by the kernel's send path; the kernel's own
// transmit stamp, read back from the socket's error queue after the send, is exact but too late for
// that reply. An interleaved client therefore names an earlier reply by putting that reply's receive
// timestamp in its request's origin field, and gets the kernel's transmit stamp of that earlier reply.
// This table maps the receive timestamp of each reply sent to such a client (marked by its lowest bit,
// which the server always sets in receive timestamps and clears in transmit timestamps) to the kernel
// transmit stamp of that reply once the host reads it back.
// A direct-mapped cache of fixed size: no allocation after construction, O(1) for every operation; a
// new entry evicts whatever shared its slot (that client gets one basic reply and then interleaves
// again). An entry is used once, so a replayed request never gets the same stamp twice.
namespace Stratum.Engine.Server;

/// <summary>Receive timestamp of a reply → the kernel's transmit stamp of that reply (raw NTP 32.32 values).</summary>
public sealed class InterleavedTransmitTable
{
    /// <summary>Slots by default: 16384 replies of interleaved clients remembered (256 KiB).</summary>
    public const int DefaultCapacity = 1 << 14;

    private readonly ulong[] _receive;
    private readonly ulong[] _transmit;
    private readonly int _shift;

    /// <param name="capacity">Slots, a power of two.</param>
    public InterleavedTransmitTable(int capacity = DefaultCapacity)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "a power of two, at least 2");
        }

        _receive = new ulong[capacity];
        _transmit = new ulong[capacity];
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)capacity);
    }

    public int Capacity => _receive.Length;

    /// <summary>Interleaved replies given (a stamp found for the request's origin).</summary>
    public long Hits { get; private set; }

    /// <summary>Requests that named an earlier reply this table no longer (or never) held, or whose stamp never came.</summary>
    public long Misses { get; private set; }

    /// <summary>A reply with receive timestamp <paramref name="receive"/> is about to be sent to an interleaved
    /// client: its slot waits for the kernel's stamp.</summary>
    public void Expect(ulong receive)
    {
        int slot = Slot(receive);
        _receive[slot] = receive;
        _transmit[slot] = 0;
    }

    /// <summary>The kernel's transmit stamp of the reply whose receive timestamp is <paramref name="receive"/>;
    /// ignored when that reply's slot has since been taken by another.</summary>
    public void Record(ulong receive, ulong transmit)
    {
        int slot = Slot(receive);
        if (_receive[slot] == receive && receive != 0)
        {
            _transmit[slot] = transmit;
        }
    }

    /// <summary>The transmit stamp of the reply a request's origin <paramref name="receive"/> names, removed from the
    /// table; false when unknown or not stamped yet.</summary>
    public bool TryTake(ulong receive, out ulong transmit)
    {
        int slot = Slot(receive);
        transmit = _transmit[slot];
        if (_receive[slot] != receive || receive == 0 || transmit == 0)
        {
            Misses++;
            transmit = 0;
            return false;
        }

        _receive[slot] = 0;
        _transmit[slot] = 0;
        Hits++;
        return true;
    }

    // Fibonacci hashing of the 64-bit timestamp: its low bits are fuzz and its high bits seconds.
    private int Slot(ulong receive) => (int)((receive * 0x9E3779B97F4A7C15UL) >> _shift);
}
