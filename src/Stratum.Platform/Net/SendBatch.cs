// SendBatch: replies collected while a receive batch is answered, then sent (the server fast path, docs/fastpath.md).
// Slots for payloads, destination addresses, iovecs and message headers are allocated once in native
// memory, so adding and flushing allocate nothing. The transmit timestamp (T3) of each reply that asks
// for one is written in Flush, after every reply of the batch is built. Three ways to send
// (TransmitStamping): by default one sendto per reply with the clock read just before it, so every T3
// is as late as the one-datagram path's; or one sendmmsg for the batch with one clock read, reply i
// stamped that reading plus i times the measured cost of sending one datagram (an average over earlier
// batches: each sendmmsg's duration divided by its datagrams); or one sendmmsg with one stamp for all.
// Under load the sendmmsg variants save a system call per reply but their stamps miss each reply's
// real departure by the jitter of the kernel's work inside the call (a p99 client offset error of
// 10–15 µs against about 1 µs per datagram, bench/RESULTS.md); one stamp for the whole batch is early
// by i datagrams' worth of kernel work, tens of µs for 64 (docs/fastpath.md). A partial send is resumed
// with fresh stamps; a datagram the kernel refuses is skipped and counted. When sendmmsg is missing
// (ENOSYS) the batch falls back, for good, to sendto per datagram. A reply queued with a key is
// signed (PacketMac) right after its stamp is written, since the MAC covers it. Owned by the event
// loop thread only.
using System.Runtime.InteropServices;
using Stratum.Core.Time;
using Stratum.Platform.Clock;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Net;

/// <summary>How a <see cref="SendBatch"/> sends its replies and stamps their transmit time.</summary>
public enum TransmitStamping
{
    /// <summary>One sendto per reply, the clock read just before each: every T3 as late as it can be.</summary>
    PerDatagram,

    /// <summary>One sendmmsg per batch; reply i stamped one reading plus i × the measured per-datagram cost.</summary>
    Interpolated,

    /// <summary>One sendmmsg per batch and one stamp for all of it (for measurement only).</summary>
    Once,
}

/// <summary>Replies waiting to be sent together, with late transmit timestamps.</summary>
public sealed unsafe class SendBatch : IDisposable
{
    /// <summary>Bytes of an NTP timestamp (32.32 fixed point).</summary>
    private const int NtpTimestampSize = 8;

    /// <summary>Address bytes per slot: sockaddr_in6 (28) rounded up to 8.</summary>
    private const int AddressSlotSize = 32;

    /// <summary>Weight of a new per-datagram cost sample in the running average (1/8).</summary>
    private const int AverageShift = 3;

    /// <summary>Upper bound of a per-datagram cost sample: a preempted sendmmsg says nothing about the kernel.</summary>
    private const long MaxCostSampleNanoseconds = 20_000;

    private readonly DatagramSystemCalls _calls;
    private readonly int _slotSize;
    private readonly bool[] _stampTransmit;
    private readonly int[] _transmitOffset;
    private readonly long[] _stampOffsetNanoseconds;
    private readonly ulong[] _captureKeys;
    private readonly int[] _unsignedLength;
    private readonly Stratum.Core.Auth.SymmetricKey?[] _macKeys;
    private MultiMessageHeader* _messages;
    private IoVector* _iovs;
    private byte* _payloads;
    private byte* _addresses;
    private byte* _controls;

    /// <param name="capacity">Replies per sendmmsg (1–1024).</param>
    /// <param name="slotSize">Largest reply in bytes.</param>
    /// <param name="singleMessageCalls">sendto per reply from the start, whatever the stamping (ntpd --io-batch 1).</param>
    public SendBatch(int capacity, int slotSize, bool singleMessageCalls = false)
        : this(capacity, slotSize, DatagramSystemCalls.Kernel)
    {
        UsesSingleMessageCalls = singleMessageCalls;
    }

    internal SendBatch(int capacity, int slotSize, DatagramSystemCalls calls)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotSize, NtpTimestampSize);
        _calls = calls;
        Capacity = capacity;
        _slotSize = slotSize;
        _stampTransmit = new bool[capacity];
        _transmitOffset = new int[capacity];
        _stampOffsetNanoseconds = new long[capacity];
        _captureKeys = new ulong[capacity];
        _unsignedLength = new int[capacity];
        _macKeys = new Stratum.Core.Auth.SymmetricKey?[capacity];
        _messages = (MultiMessageHeader*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(MultiMessageHeader)));
        _iovs = (IoVector*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(IoVector)));
        _payloads = (byte*)NativeMemory.AllocZeroed((nuint)capacity * (nuint)slotSize);
        _addresses = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * AddressSlotSize));
        _controls = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * TransmitStampQueue.RequestControlSize));
        for (int i = 0; i < capacity; i++)
        {
            TransmitStampQueue.WriteRequest(_controls + (i * TransmitStampQueue.RequestControlSize));
            _iovs[i].Base = _payloads + ((nuint)i * (nuint)slotSize);
            _messages[i].Header.Iov = &_iovs[i];
            _messages[i].Header.IovLength = 1;
            _messages[i].Header.Name = _addresses + (i * AddressSlotSize);
        }
    }

    public int Capacity { get; }

    /// <summary>Replies added since the last flush.</summary>
    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    /// <summary>True once sendmmsg proved missing (ENOSYS), or when asked for at construction:
    /// flushing uses sendto per datagram.</summary>
    public bool UsesSingleMessageCalls { get; private set; }

    /// <summary>Running average of the kernel time one datagram takes inside sendmmsg, ns: the step
    /// between the transmit stamps of consecutive replies in a batch.</summary>
    public long SendCostNanoseconds { get; private set; }

    /// <summary>How replies are sent and stamped; <see cref="TransmitStamping.PerDatagram"/> by default.</summary>
    public TransmitStamping Stamping { get; set; } = TransmitStamping.PerDatagram;

    /// <summary>System calls made by flushes so far.</summary>
    public long SystemCalls { get; private set; }

    /// <summary>The buffer the next reply is written into (the slot size); valid until <see cref="Add"/>.</summary>
    public Span<byte> NextSlot
    {
        get
        {
            if (IsFull)
            {
                throw new InvalidOperationException("the send batch is full; flush it first");
            }

            return new Span<byte>(_iovs[Count].Base, _slotSize);
        }
    }

    /// <summary>Queues the reply written into <see cref="NextSlot"/>.</summary>
    /// <param name="length">Its length in bytes.</param>
    /// <param name="destination">Where it goes.</param>
    /// <param name="transmitStampOffset">Where Flush writes the 64-bit NTP transmit timestamp, or -1
    /// for none (a KoD keeps the request's timestamp).</param>
    /// <param name="macKey">Signs the reply after its stamp is written (the slot must have room for
    /// the MAC), or null.</param>
    /// <param name="stampOffsetNanoseconds">Added to the clock reading the stamp carries (a leap smear's offset).</param>
    /// <param name="captureKey">Non-zero: ask the kernel for this datagram's transmit stamp and record it under this
    /// key (an interleaved client's reply; the socket's TransmitStampQueue), when the socket can.</param>
    public void Add(int length, in NativeSocketAddress destination, int transmitStampOffset, Stratum.Core.Auth.SymmetricKey? macKey = null,
        long stampOffsetNanoseconds = 0, ulong captureKey = 0)
    {
        if (IsFull)
        {
            throw new InvalidOperationException("the send batch is full; flush it first");
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)_slotSize, nameof(length));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(transmitStampOffset, length - NtpTimestampSize);
        int index = Count;
        _iovs[index].Length = (nuint)length;
        ReadOnlySpan<byte> address = destination.ReadOnlyBytes[..destination.Length];
        address.CopyTo(new Span<byte>(_messages[index].Header.Name, AddressSlotSize));
        _messages[index].Header.NameLength = (uint)destination.Length;
        _stampTransmit[index] = transmitStampOffset >= 0;
        _transmitOffset[index] = transmitStampOffset;
        _stampOffsetNanoseconds[index] = stampOffsetNanoseconds;
        _captureKeys[index] = captureKey;
        _messages[index].Header.Control = captureKey != 0 ? _controls + (index * TransmitStampQueue.RequestControlSize) : null;
        _messages[index].Header.ControlLength = captureKey != 0 ? (nuint)TransmitStampQueue.RequestControlSize : 0;
        _unsignedLength[index] = length;
        _macKeys[index] = macKey;
        Count = index + 1;
    }

    /// <summary>Stamps and sends every queued reply on <paramref name="socket"/>, then empties the
    /// batch. Returns the replies the kernel took; <paramref name="failed"/> counts the others.</summary>
    public int Flush(UdpSocket socket, IClockDriver clock, out int failed)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(clock);
        failed = 0;
        int sent = 0;
        int next = 0;
        TransmitStampQueue? stamps = socket.TransmitStamps;
        if (stamps is null)
        {
            // The socket cannot number stamps: ask for none (unread stamps would wake the loop for ever).
            for (int i = 0; i < Count; i++)
            {
                _messages[i].Header.Control = null;
                _messages[i].Header.ControlLength = 0;
            }
        }

        while (next < Count)
        {
            int done = UsesSingleMessageCalls || Stamping == TransmitStamping.PerDatagram
                ? SendOne(socket.FileDescriptor, clock, next)
                : SendMany(socket.FileDescriptor, clock, next);
            if (done > 0)
            {
                if (stamps is not null)
                {
                    for (int i = next; i < next + done; i++)
                    {
                        if (_captureKeys[i] != 0)
                        {
                            stamps.Sent(_captureKeys[i], _stampOffsetNanoseconds[i]);
                        }
                    }
                }

                sent += done;
                next += done;
            }
            else
            {
                // The kernel refused message `next` (EAGAIN on a full buffer, an unreachable
                // destination): skip it and carry on with the rest.
                failed++;
                next++;
            }
        }

        Count = 0;
        return sent;
    }

    /// <summary>One sendmmsg of messages [first, Count); returns how many went, 0 on failure.</summary>
    private int SendMany(int fd, IClockDriver clock, int first)
    {
        long before = clock.ReadRealtimeNanoseconds();
        long step = Stamping == TransmitStamping.Interpolated ? SendCostNanoseconds : 0;
        for (int i = first; i < Count; i++)
        {
            StampTransmit(i, before + ((i - first) * step));
        }

        SystemCalls++;
        int sent = _calls.SendMany(fd, (nint)(_messages + first), (uint)(Count - first), out int errno);
        if (sent < 0 && errno == Libc.ENOSYS)
        {
            UsesSingleMessageCalls = true;
            return SendOne(fd, clock, first);
        }

        if (sent > 1)
        {
            long sample = Math.Clamp((clock.ReadRealtimeNanoseconds() - before) / sent, 0, MaxCostSampleNanoseconds);
            SendCostNanoseconds += (sample - SendCostNanoseconds) >> AverageShift;
        }

        return Math.Max(sent, 0);
    }

    /// <summary>One sendto of message <paramref name="index"/>, stamped just before; 1 or 0.</summary>
    private int SendOne(int fd, IClockDriver clock, int index)
    {
        StampTransmit(index, clock.ReadRealtimeNanoseconds());
        SystemCalls++;
        return _calls.SendOne(fd, _messages[index].Header, out _) >= 0 ? 1 : 0;
    }

    private void StampTransmit(int index, long unixNanoseconds)
    {
        var slot = new Span<byte>(_iovs[index].Base, _slotSize);
        if (_stampTransmit[index])
        {
            // The lowest bit clear: RFC 9769 clients tell our transmit timestamps from our receive timestamps by it.
            new NtpTimestamp(NtpTimestamp.FromUnixNanoseconds(unixNanoseconds + _stampOffsetNanoseconds[index]).Raw & ~1UL)
                .Write(slot[_transmitOffset[index]..]);
        }

        if (_macKeys[index] is { } key)
        {
            // From the unsigned length each time: a resumed send re-stamps and re-signs.
            _iovs[index].Length = (nuint)Stratum.Core.Auth.PacketMac.Append(key, slot, _unsignedLength[index]);
        }
    }

    public void Dispose()
    {
        if (_messages is not null)
        {
            NativeMemory.Free(_messages);
            NativeMemory.Free(_iovs);
            NativeMemory.Free(_payloads);
            NativeMemory.Free(_addresses);
            NativeMemory.Free(_controls);
            _controls = null;
            _messages = null;
            _iovs = null;
            _payloads = null;
            _addresses = null;
        }
    }
}
