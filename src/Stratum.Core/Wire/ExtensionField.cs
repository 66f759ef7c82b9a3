// ExtensionField: one NTPv4 extension field (RFC 7822 §3, RFC 5905 §7.5):
//
//  0                   1                   2                   3
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |          Field Type           |            Length             |
// |                      Value (variable) + Padding               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Length counts the whole field, header included; it is at least 16 and a multiple of 4. The value
// is a slice of the received buffer.
using System.Buffers.Binary;

namespace Stratum.Core.Wire;

/// <summary>An extension field: its type and the bytes after its 4-byte header (value + padding).</summary>
public readonly ref struct ExtensionField
{
    /// <summary>RFC 7822 §3: the smallest extension field.</summary>
    public const int MinLength = 16;

    public ExtensionField(ushort fieldType, ReadOnlySpan<byte> value)
    {
        FieldType = fieldType;
        Value = value;
    }

    public ushort FieldType { get; }

    /// <summary>Value and padding.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Total on-wire length including the 4-byte header.</summary>
    public int Length => Value.Length + 4;

    /// <summary>Writes a field with <paramref name="value"/>, zero-padded to a 4-byte multiple of at
    /// least 16 bytes; returns the bytes written, or -1 when it does not fit or is too long.</summary>
    public static int Write(ushort fieldType, ReadOnlySpan<byte> value, Span<byte> destination)
    {
        int length = Math.Max(MinLength, (value.Length + 4 + 3) & ~3);
        if (length > ushort.MaxValue || length > destination.Length)
        {
            return -1;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, fieldType);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
        value.CopyTo(destination[4..]);
        destination[(4 + value.Length)..length].Clear();
        return length;
    }
}

/// <summary>Walks the extension fields already validated by <see cref="NtpPacket.TryRead"/>.</summary>
public ref struct ExtensionFieldEnumerator
{
    private ReadOnlySpan<byte> _remaining;

    internal ExtensionFieldEnumerator(ReadOnlySpan<byte> fields)
    {
        _remaining = fields;
        Current = default;
    }

    public ExtensionField Current { get; private set; }

    public readonly ExtensionFieldEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining.Length < 4)
        {
            return false;
        }

        ushort type = BinaryPrimitives.ReadUInt16BigEndian(_remaining);
        int length = BinaryPrimitives.ReadUInt16BigEndian(_remaining[2..]);
        Current = new ExtensionField(type, _remaining[4..length]);
        _remaining = _remaining[length..];
        return true;
    }
}
