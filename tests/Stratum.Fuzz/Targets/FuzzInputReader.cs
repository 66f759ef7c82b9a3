// FuzzInputReader: splits a fuzz input into what the responder targets need: option bytes (which
// client sends, whether the harness signs, how much time passes) and datagrams. A datagram is
// either the rest of the input or a record "length octet, that many octets" (shorter when the input
// ends), so one input can carry a sequence of datagrams and the engine's state (rate limits, the
// reach register, duplicates) carries from one to the next. Reading past the end gives zeros and
// empty datagrams, never an exception, and every read moves forward, so loops over records end.
namespace Stratum.Fuzz.Targets;

/// <summary>Reads option bytes and datagrams from a fuzz input, front to back.</summary>
internal ref struct FuzzInputReader(ReadOnlySpan<byte> input)
{
    private readonly ReadOnlySpan<byte> _input = input;
    private int _position;

    public readonly bool IsAtEnd => _position >= _input.Length;

    /// <summary>The next octet, or 0 past the end.</summary>
    public byte ReadByte() => _position < _input.Length ? _input[_position++] : (byte)0;

    /// <summary>Everything not read yet.</summary>
    public ReadOnlySpan<byte> ReadRest()
    {
        ReadOnlySpan<byte> rest = _position < _input.Length ? _input[_position..] : [];
        _position = _input.Length;
        return rest;
    }

    /// <summary>A record: one length octet, then up to that many octets.</summary>
    public ReadOnlySpan<byte> ReadRecord()
    {
        int length = ReadByte();
        int available = Math.Max(0, Math.Min(length, _input.Length - _position));
        ReadOnlySpan<byte> record = _input.Slice(Math.Min(_position, _input.Length), available);
        _position += available;
        return record;
    }
}
