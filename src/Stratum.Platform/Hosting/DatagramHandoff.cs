// DatagramHandoff: the bounded, lock-free queue through which one extra server loop (ntpd
// --server-threads) hands the main loop every datagram that is not a plain client request — modes 6
// and 7 that the steering program missed, symmetric packets (a configured peer's belong to its
// association), replies, NTPv1 — since only the main loop owns the Engine. One producer (the extra
// loop) and one consumer (the main loop): a ring of fixed slots, each holding the datagram's bytes,
// its source, which of the loop's sockets it came in on and when it arrived; positions are published
// with volatile writes, so neither side locks or allocates. A full ring drops the datagram and
// counts it (Dropped; the main loop adds it to ntpq's iostats "dropped packets"). The producer wakes
// the main loop through its eventfd at most once until the main loop has taken the news
// (TakeWakeRequest), so a batch of handed-over datagrams costs one write(2).
using System.Runtime.InteropServices;
using Stratum.Platform.Net;

namespace Stratum.Platform.Hosting;

/// <summary>A single-producer, single-consumer ring of datagrams for the main loop.</summary>
internal sealed unsafe class DatagramHandoff : IDisposable
{
    /// <summary>Datagrams the ring holds; a power of two.</summary>
    public const int DefaultCapacity = 64;

    private readonly int _mask;
    private readonly int _slotSize;
    private readonly Entry[] _entries;
    private byte* _payloads;
    private long _head;
    private long _tail;
    private long _dropped;
    private int _wakeRequested;

    /// <summary>Where and when one handed-over datagram arrived.</summary>
    private struct Entry
    {
        public int Length;
        public int SocketIndex;
        public long ReceiveReal;
        public long ReceiveMono;
        public NativeSocketAddress Source;
    }

    /// <param name="capacity">Slots (a power of two).</param>
    /// <param name="slotSize">Bytes kept of each datagram (the receive slot size).</param>
    public DatagramHandoff(int capacity, int slotSize)
    {
        if (capacity < 1 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "a power of two");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(slotSize, 1);
        Capacity = capacity;
        _mask = capacity - 1;
        _slotSize = slotSize;
        _entries = new Entry[capacity];
        // Not zeroed: pages the ring never fills stay untouched.
        _payloads = (byte*)NativeMemory.Alloc((nuint)capacity * (nuint)slotSize);
    }

    public int Capacity { get; }

    /// <summary>Datagrams refused because the ring was full (any thread may read it).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Datagrams handed over so far (any thread may read it).</summary>
    public long HandedOver => Volatile.Read(ref _tail);

    /// <summary>Producer: copies a datagram into the next slot; false (and counted) when the ring is full.</summary>
    /// <param name="socketIndex">Which of the extra loop's sockets it came in on (the main loop answers
    /// from its own socket of the same index: the same address and port).</param>
    /// <param name="data">Its bytes (at most the slot size are kept).</param>
    /// <param name="length">Its length as received (slot size + 1 when truncated).</param>
    /// <param name="source">Its source.</param>
    /// <param name="receiveReal">Its receive time, Unix ns on the disciplined clock.</param>
    /// <param name="receiveMono">The monotonic clock when its batch was received.</param>
    public bool TryAdd(int socketIndex, ReadOnlySpan<byte> data, int length, in NativeSocketAddress source, long receiveReal, long receiveMono)
    {
        long tail = _tail;
        if (tail - Volatile.Read(ref _head) >= Capacity)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        int slot = (int)(tail & _mask);
        int kept = Math.Min(data.Length, _slotSize);
        data[..kept].CopyTo(new Span<byte>(_payloads + ((nuint)slot * (nuint)_slotSize), kept));
        ref Entry entry = ref _entries[slot];
        entry.Length = length;
        entry.SocketIndex = socketIndex;
        entry.ReceiveReal = receiveReal;
        entry.ReceiveMono = receiveMono;
        entry.Source = source;
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }

    /// <summary>Producer, after adding: true when the consumer must be woken (the first news since
    /// it last called <see cref="TakeWakeRequest"/>).</summary>
    public bool RequestWake() => Interlocked.Exchange(ref _wakeRequested, 1) == 0;

    /// <summary>Consumer, before draining: clears the wake request, so a datagram added after the
    /// drain wakes it again.</summary>
    public void TakeWakeRequest() => Interlocked.Exchange(ref _wakeRequested, 0);

    /// <summary>Consumer: the oldest datagram, left in place until <see cref="Advance"/>; false when empty.</summary>
    public bool TryPeek(out ReadOnlySpan<byte> data, out int length, out int socketIndex, out NativeSocketAddress source, out long receiveReal, out long receiveMono)
    {
        long head = _head;
        if (head == Volatile.Read(ref _tail))
        {
            data = default;
            length = socketIndex = 0;
            source = default;
            receiveReal = receiveMono = 0;
            return false;
        }

        int slot = (int)(head & _mask);
        ref Entry entry = ref _entries[slot];
        length = entry.Length;
        socketIndex = entry.SocketIndex;
        source = entry.Source;
        receiveReal = entry.ReceiveReal;
        receiveMono = entry.ReceiveMono;
        data = new ReadOnlySpan<byte>(_payloads + ((nuint)slot * (nuint)_slotSize), Math.Min(length, _slotSize));
        return true;
    }

    /// <summary>Consumer: frees the slot <see cref="TryPeek"/> returned.</summary>
    public void Advance() => Volatile.Write(ref _head, _head + 1);

    /// <summary>Consumer: true when a datagram is waiting.</summary>
    public bool IsEmpty => _head == Volatile.Read(ref _tail);

    /// <summary>Frees the slots; call once neither thread uses the ring.</summary>
    public void Dispose()
    {
        if (_payloads is not null)
        {
            NativeMemory.Free(_payloads);
            _payloads = null;
        }
    }
}
