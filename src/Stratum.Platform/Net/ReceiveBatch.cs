// ReceiveBatch: up to Capacity datagrams from one socket per system call (recvmmsg, the server fast
// path of docs/fastpath.md), each with its own source address and kernel receive timestamp (SCM_TIMESTAMPING or
// SCM_TIMESTAMPNS parsed per message). Every buffer — message headers, iovecs, payload slots,
// address slots, control slots — is allocated once in native memory, so receiving allocates nothing,
// neither per datagram nor per batch. The kernel overwrites each slot's name length, control length
// and flags, so they are reset before every call (docs/fastpath.md). When recvmmsg is missing (ENOSYS:
// an old kernel or an interposed simulator library) the batch falls back, for good, to recvmsg one
// datagram at a time into the same slots, so callers see no difference. Owned and used by one thread
// (the event loop); Dispose frees the memory, never a finalizer.
using System.Runtime.InteropServices;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Net;

/// <summary>Preallocated slots for receiving many datagrams per system call.</summary>
public sealed unsafe class ReceiveBatch : IDisposable
{
    /// <summary>Control bytes per slot: one SCM_TIMESTAMPING message (16 + 3 × 16) with room to spare.</summary>
    private const int ControlSlotSize = 128;

    /// <summary>Address bytes per slot: sockaddr_in6 (28) rounded up to 8.</summary>
    private const int AddressSlotSize = 32;

    private readonly DatagramSystemCalls _calls;
    private readonly int _slotSize;
    private readonly long[] _kernelRealtime;
    private MultiMessageHeader* _messages;
    private IoVector* _iovs;
    private byte* _payloads;
    private byte* _addresses;
    private byte* _controls;

    /// <param name="capacity">Datagrams per call (1–1024).</param>
    /// <param name="slotSize">Bytes per datagram; a longer one is reported as slotSize + 1 (too long).</param>
    /// <param name="singleMessageCalls">recvmsg per datagram from the start (ntpd --io-batch 1).</param>
    public ReceiveBatch(int capacity, int slotSize, bool singleMessageCalls = false)
        : this(capacity, slotSize, DatagramSystemCalls.Kernel)
    {
        UsesSingleMessageCalls = singleMessageCalls;
    }

    internal ReceiveBatch(int capacity, int slotSize, DatagramSystemCalls calls)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotSize, 1);
        _calls = calls;
        Capacity = capacity;
        _slotSize = slotSize;
        _kernelRealtime = new long[capacity];
        _messages = (MultiMessageHeader*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(MultiMessageHeader)));
        _iovs = (IoVector*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(IoVector)));
        _payloads = (byte*)NativeMemory.AllocZeroed((nuint)capacity * (nuint)slotSize);
        _addresses = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * AddressSlotSize));
        _controls = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * ControlSlotSize));
        for (int i = 0; i < capacity; i++)
        {
            _iovs[i].Base = _payloads + ((nuint)i * (nuint)slotSize);
            _iovs[i].Length = (nuint)slotSize;
            _messages[i].Header.Iov = &_iovs[i];
            _messages[i].Header.IovLength = 1;
            _messages[i].Header.Name = _addresses + (i * AddressSlotSize);
            _messages[i].Header.Control = _controls + (i * ControlSlotSize);
        }
    }

    /// <summary>Most datagrams one <see cref="Receive"/> returns.</summary>
    public int Capacity { get; }

    /// <summary>Datagrams held from the last <see cref="Receive"/>.</summary>
    public int Count { get; private set; }

    /// <summary>True once recvmmsg proved missing (ENOSYS), or when asked for at construction:
    /// receiving uses recvmsg per datagram.</summary>
    public bool UsesSingleMessageCalls { get; private set; }

    /// <summary>System calls made by <see cref="Receive"/> so far (for tests and counters).</summary>
    public long SystemCalls { get; private set; }

    /// <summary>Receives what is waiting on <paramref name="socket"/>, up to <see cref="Capacity"/>
    /// datagrams, without blocking. Returns the count: 0 with <paramref name="errno"/> 0 when nothing
    /// was waiting, 0 with errno set on failure.</summary>
    public int Receive(UdpSocket socket, out int errno)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Count = 0;
        int received = UsesSingleMessageCalls ? ReceiveOneByOne(socket.FileDescriptor, out errno) : ReceiveMany(socket.FileDescriptor, out errno);
        for (int i = 0; i < received; i++)
        {
            _kernelRealtime[i] = ReceiveTimestampParser.Find((byte*)_messages[i].Header.Control, _messages[i].Header.ControlLength);
        }

        Count = received;
        return received;
    }

    /// <summary>Length of datagram <paramref name="index"/>: slot size + 1 when it was truncated.</summary>
    public int Length(int index)
    {
        ref MultiMessageHeader message = ref Message(index);
        return (message.Header.Flags & Libc.MSG_TRUNC) != 0 ? _slotSize + 1 : (int)Math.Min(message.Length, (uint)_slotSize);
    }

    /// <summary>The bytes of datagram <paramref name="index"/> (at most the slot size), valid until the next Receive.</summary>
    public ReadOnlySpan<byte> Payload(int index) =>
        new(_iovs[CheckIndex(index)].Base, Math.Min(Length(index), _slotSize));

    /// <summary>The kernel's CLOCK_REALTIME receive stamp of datagram <paramref name="index"/> in Unix ns, or 0.</summary>
    public long KernelRealtime(int index) => _kernelRealtime[CheckIndex(index)];

    /// <summary>Copies the source address of datagram <paramref name="index"/>.</summary>
    public void CopySource(int index, ref NativeSocketAddress destination)
    {
        ref MultiMessageHeader message = ref Message(index);
        int length = (int)Math.Min(message.Header.NameLength, NativeSocketAddress.Capacity);
        new ReadOnlySpan<byte>(message.Header.Name, length).CopyTo(destination.Bytes);
        destination.Length = length;
    }

    private int ReceiveMany(int fd, out int errno)
    {
        for (int i = 0; i < Capacity; i++)
        {
            ResetSlot(i);
        }

        SystemCalls++;
        int received = _calls.ReceiveMany(fd, (nint)_messages, (uint)Capacity, out errno);
        if (received >= 0)
        {
            return received;
        }

        if (errno == Libc.ENOSYS)
        {
            UsesSingleMessageCalls = true;
            return ReceiveOneByOne(fd, out errno);
        }

        if (errno == Libc.EAGAIN)
        {
            errno = 0;
        }

        return 0;
    }

    private int ReceiveOneByOne(int fd, out int errno)
    {
        errno = 0;
        int count = 0;
        while (count < Capacity)
        {
            ResetSlot(count);
            SystemCalls++;
            int bytes = _calls.ReceiveOne(fd, (nint)(&_messages[count].Header), out int error);
            if (bytes < 0)
            {
                errno = error == Libc.EAGAIN || count > 0 ? 0 : error;
                break;
            }

            _messages[count].Length = (uint)bytes;
            count++;
        }

        return count;
    }

    private void ResetSlot(int index)
    {
        ref MessageHeader header = ref _messages[index].Header;
        header.NameLength = NativeSocketAddress.Capacity;
        header.ControlLength = ControlSlotSize;
        header.Flags = 0;
        _messages[index].Length = 0;
    }

    private ref MultiMessageHeader Message(int index) => ref _messages[CheckIndex(index)];

    private int CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "no datagram in this slot");
        }

        return index;
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
            _messages = null;
            _iovs = null;
            _payloads = null;
            _addresses = null;
            _controls = null;
        }
    }
}
