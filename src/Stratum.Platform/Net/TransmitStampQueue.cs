// TransmitStampQueue: the kernel's software transmit stamps of one server socket's replies to
// interleaved clients (RFC 9769), read back from the socket's error queue. The socket is set up with
// SO_TIMESTAMPING OPT_ID|OPT_TSONLY but no transmit stamping of its own; only a reply that asks for it
// (a per-message SO_TIMESTAMPING control message with TX_SOFTWARE, written by SendBatch) is stamped,
// so a server of basic clients pays nothing. The kernel numbers the stamped datagrams of the socket
// 0, 1, 2, … (OPT_ID; a failed send takes no number), and returns each stamp with its number and no
// payload (OPT_TSONLY): the queue keeps, by that number, the reply's capture key (its receive
// timestamp) and the leap smear offset it was served with, and hands each stamp read to the time
// server's InterleavedTransmitTable. On loopback the stamp is queued during the send itself; on a NIC
// it follows shortly, and the readable-or-error wake-up of poll() brings the loop back to read it.
// Pending entries live in a fixed ring: nothing here allocates after construction. Loop thread only.
using System.Runtime.InteropServices;
using Stratum.Core.Time;
using Stratum.Engine.Server;
using Stratum.Platform.Interop;

namespace Stratum.Platform.Net;

/// <summary>Transmit stamps of one socket's interleaved replies, by the kernel's OPT_ID numbering.</summary>
public sealed unsafe class TransmitStampQueue : IDisposable
{
    /// <summary>Stamped replies remembered until their stamp is read (a power of two).</summary>
    public const int Capacity = 4096;

    /// <summary>Bytes of the per-message control data asking for a transmit stamp: CMSG_SPACE(sizeof(int)).</summary>
    public const int RequestControlSize = 24;

    private const int ControlBufferSize = 256;
    private const int PayloadBufferSize = 64;

    /// <summary>A stamp this far from the reply's receive time belongs to another reply (a numbering slip).</summary>
    private const long MaxSendDelayNanoseconds = 1_000_000_000;

    private readonly int _fd;
    private readonly uint[] _ids = new uint[Capacity];
    private readonly ulong[] _keys = new ulong[Capacity];
    private readonly long[] _offsets = new long[Capacity];
    private readonly MessageHeader* _header;
    private readonly IoVector* _iov;
    private readonly byte* _control;
    private readonly byte* _payload;
    private uint _nextId;

    internal TransmitStampQueue(int fd)
    {
        _fd = fd;
        _header = (MessageHeader*)NativeMemory.AllocZeroed((nuint)sizeof(MessageHeader));
        _iov = (IoVector*)NativeMemory.AllocZeroed((nuint)sizeof(IoVector));
        _control = (byte*)NativeMemory.AllocZeroed(ControlBufferSize);
        _payload = (byte*)NativeMemory.AllocZeroed(PayloadBufferSize);
    }

    /// <summary>Stamps read and handed on.</summary>
    public long Read { get; private set; }

    /// <summary>Stamps that matched no pending reply (or looked wrong for it) and were dropped.</summary>
    public long Unmatched { get; private set; }

    /// <summary>Replies sent with a stamp asked for and not read back yet (at most <see cref="Capacity"/>).</summary>
    public int Pending => (int)Math.Min(_nextId - _readUpTo, Capacity);

    private uint _readUpTo;

    /// <summary>Writes, at <paramref name="control"/>, the control message that asks the kernel to stamp one datagram.</summary>
    public static void WriteRequest(byte* control)
    {
        var header = (ControlMessageHeader*)control;
        header->Length = (nuint)(sizeof(ControlMessageHeader) + sizeof(int));
        header->Level = Libc.SOL_SOCKET;
        header->Type = Libc.SO_TIMESTAMPING;
        *(int*)(control + sizeof(ControlMessageHeader)) = Libc.SOF_TIMESTAMPING_TX_SOFTWARE;
    }

    /// <summary>A reply that asked for a stamp went out: it has the socket's next number.</summary>
    /// <param name="captureKey">Its receive timestamp (raw), under which the stamp is recorded.</param>
    /// <param name="offsetNanoseconds">Added to the stamp (the leap smear's offset the reply was served with).</param>
    public void Sent(ulong captureKey, long offsetNanoseconds)
    {
        int slot = (int)(_nextId & (Capacity - 1));
        _ids[slot] = _nextId;
        _keys[slot] = captureKey;
        _offsets[slot] = offsetNanoseconds;
        _nextId++;
    }

    /// <summary>An association socket's use: reads every stamp waiting in the error queue and gives the last one
    /// (its one request of the poll), without matching numbers; false when none was waiting.</summary>
    public bool TryTakeLatest(out long unixNanoseconds)
    {
        unixNanoseconds = 0;
        while (true)
        {
            if (!TryReceiveError(out long stamp, out _, out bool parsed))
            {
                return unixNanoseconds != 0;
            }

            if (parsed)
            {
                unixNanoseconds = stamp;
                Read++;
            }
        }
    }

    /// <summary>Reads every stamp waiting in the error queue and records it in <paramref name="table"/>; returns how many.</summary>
    public int Drain(InterleavedTransmitTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        int drained = 0;
        while (true)
        {
            if (!TryReceiveError(out long stamp, out uint id, out bool parsed))
            {
                return drained;
            }

            drained++;
            if (!parsed)
            {
                Unmatched++;
                continue;
            }

            int slot = (int)(id & (Capacity - 1));
            if (_ids[slot] != id || _keys[slot] == 0)
            {
                Unmatched++;
                continue;
            }

            ulong key = _keys[slot];
            _keys[slot] = 0;
            _readUpTo = id + 1;
            long served = stamp + _offsets[slot];
            long receive = new NtpTimestamp(key).ToUnixNanoseconds();
            if (served - receive < 0 || served - receive > MaxSendDelayNanoseconds)
            {
                Unmatched++;
                continue;
            }

            table.Record(key, NtpTimestamp.FromUnixNanoseconds(served).Raw & ~1UL);
            Read++;
        }
    }

    // One message of the error queue, without waiting: false when it is empty; otherwise its stamp and
    // number, with `parsed` false when it carried no transmit stamp.
    private bool TryReceiveError(out long stamp, out uint id, out bool parsed)
    {
        _iov->Base = _payload;
        _iov->Length = PayloadBufferSize;
        _header->Name = null;
        _header->NameLength = 0;
        _header->Iov = _iov;
        _header->IovLength = 1;
        _header->Control = _control;
        _header->ControlLength = ControlBufferSize;
        _header->Flags = 0;
        if (MessageCalls.RecvMsg(_fd, _header, Libc.MSG_ERRQUEUE | Libc.MSG_DONTWAIT) < 0)
        {
            stamp = 0;
            id = 0;
            parsed = false;
            return false;
        }

        parsed = ReceiveTimestampParser.TryFindTransmitStamp(_control, _header->ControlLength, out stamp, out id);
        return true;
    }

    public void Dispose()
    {
        NativeMemory.Free(_header);
        NativeMemory.Free(_iov);
        NativeMemory.Free(_control);
        NativeMemory.Free(_payload);
    }
}
