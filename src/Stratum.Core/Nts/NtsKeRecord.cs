// NtsKeRecord: the records of the NTS Key Establishment protocol (RFC 8915 §4): a 16-bit word whose top bit
// is the critical flag and whose other 15 bits are the record type, a 16-bit body length, the body. The
// reader walks a buffer record by record without copying and says why it stops (a record cut short); the
// writer appends one record. Typed accessors read the bodies that are lists of 16-bit numbers (next
// protocol, AEAD algorithm), one 16-bit number (error, warning, port) or text (server). Record types and
// codes are RFC 8915 §7.6's registry.
using System.Buffers.Binary;

namespace Stratum.Core.Nts;

/// <summary>NTS-KE record types (RFC 8915 §7.6).</summary>
public enum NtsKeRecordType : ushort
{
    EndOfMessage = 0,
    NextProtocol = 1,
    Error = 2,
    Warning = 3,
    AeadAlgorithm = 4,
    NewCookie = 5,
    Server = 6,
    Port = 7,
}

/// <summary>NTS-KE error codes (RFC 8915 §4.1.3).</summary>
public enum NtsKeErrorCode : ushort
{
    UnrecognizedCriticalRecord = 0,
    BadRequest = 1,
    InternalServerError = 2,
}

/// <summary>One record, valid while its buffer is.</summary>
public readonly ref struct NtsKeRecord
{
    /// <summary>Type word and body length.</summary>
    public const int HeaderSize = 4;

    private const ushort CriticalBit = 0x8000;

    public NtsKeRecord(bool critical, ushort type, ReadOnlySpan<byte> body)
    {
        IsCritical = critical;
        Type = type;
        Body = body;
    }

    public bool IsCritical { get; }

    /// <summary>The 15-bit record type (an <see cref="NtsKeRecordType"/> when known).</summary>
    public ushort Type { get; }

    public ReadOnlySpan<byte> Body { get; }

    public bool Is(NtsKeRecordType type) => Type == (ushort)type;

    /// <summary>The body as 16-bit numbers (next protocol and AEAD lists): false when its length is odd.</summary>
    public bool TryGetNumbers(out ReadOnlySpan<byte> numbers)
    {
        numbers = Body;
        return (Body.Length & 1) == 0;
    }

    /// <summary>Number <paramref name="index"/> of a list body.</summary>
    public ushort NumberAt(int index) => BinaryPrimitives.ReadUInt16BigEndian(Body.Slice(index * 2, 2));

    /// <summary>A body of exactly one 16-bit number (error, warning, port).</summary>
    public bool TryGetNumber(out ushort value)
    {
        value = Body.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(Body) : (ushort)0;
        return Body.Length == 2;
    }

    /// <summary>Writes a record at the start of <paramref name="destination"/>; returns its length.</summary>
    /// <exception cref="ArgumentException">The body is longer than 65535 bytes or the destination too short.</exception>
    public static int Write(bool critical, NtsKeRecordType type, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        if (body.Length > ushort.MaxValue || destination.Length < HeaderSize + body.Length)
        {
            throw new ArgumentException("the record does not fit", nameof(destination));
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)((critical ? CriticalBit : 0) | ((ushort)type & 0x7FFF)));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)body.Length);
        body.CopyTo(destination[HeaderSize..]);
        return HeaderSize + body.Length;
    }

    /// <summary>Writes a record whose body is the 16-bit numbers <paramref name="numbers"/>; returns its length.</summary>
    public static int WriteNumbers(bool critical, NtsKeRecordType type, ReadOnlySpan<ushort> numbers, Span<byte> destination)
    {
        Span<byte> body = stackalloc byte[numbers.Length * 2];
        for (int i = 0; i < numbers.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(body[(i * 2)..], numbers[i]);
        }

        return Write(critical, type, body, destination);
    }

    /// <summary>Reads the record at the start of <paramref name="data"/>: false when fewer bytes than its header and body.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out NtsKeRecord record, out int length)
    {
        record = default;
        length = 0;
        if (data.Length < HeaderSize)
        {
            return false;
        }

        ushort word = BinaryPrimitives.ReadUInt16BigEndian(data);
        int bodyLength = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        if (data.Length < HeaderSize + bodyLength)
        {
            return false;
        }

        record = new NtsKeRecord((word & CriticalBit) != 0, (ushort)(word & 0x7FFF), data.Slice(HeaderSize, bodyLength));
        length = HeaderSize + bodyLength;
        return true;
    }
}
