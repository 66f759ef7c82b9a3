// FragmentAssembler: puts mode 6 response fragments back together (ntpq.c getresponse): each
// fragment carries its offset and count; the one without the More bit fixes the total length.
// Fragments may arrive out of order or twice (a duplicate with the same offset is ignored); the
// response is complete when the fragments cover 0..total without a gap. Overlapping or
// out-of-range fragments are rejected rather than trusted.
using Stratum.Core.Mode6;

namespace Stratum.Client.Mode6;

/// <summary>Collects the fragments of one response.</summary>
public sealed class FragmentAssembler
{
    /// <summary>ntpq MAXFRAGS.</summary>
    public const int MaxFragments = 32;

    private readonly SortedDictionary<int, byte[]> _fragments = [];
    private int _total = -1;

    public int FragmentCount => _fragments.Count;

    /// <summary>Adds one fragment; false when it is inconsistent with those already held or too many.</summary>
    public bool TryAdd(in ControlHeader header, ReadOnlySpan<byte> data)
    {
        if (_fragments.ContainsKey(header.Offset))
        {
            return true;
        }

        if (_fragments.Count >= MaxFragments)
        {
            return false;
        }

        int end = header.Offset + data.Length;
        if (!header.HasMore)
        {
            if (_total >= 0 && _total != end)
            {
                return false;
            }

            _total = end;
        }

        if (_total >= 0 && end > _total)
        {
            return false;
        }

        _fragments.Add(header.Offset, data.ToArray());
        return true;
    }

    public bool IsComplete => _total >= 0 && Covered() == _total;

    /// <summary>True once the fragment without the More bit has arrived.</summary>
    public bool LastSeen => _total >= 0;

    /// <summary>The length of the fragment already held at <paramref name="offset"/>, if any (a duplicate).</summary>
    public bool TryGetLength(int offset, out int length)
    {
        bool held = _fragments.TryGetValue(offset, out byte[]? data);
        length = held ? data!.Length : 0;
        return held;
    }

    /// <summary>Offset and length of each fragment held, by offset (ntpq's ERR_INCOMPLETE listing).</summary>
    public IReadOnlyList<(int Offset, int Length)> Fragments()
    {
        var list = new List<(int, int)>(_fragments.Count);
        foreach ((int offset, byte[] data) in _fragments)
        {
            list.Add((offset, data.Length));
        }

        return list;
    }

    /// <summary>The reassembled data; valid when <see cref="IsComplete"/>.</summary>
    public byte[] ToArray()
    {
        var result = new byte[Math.Max(0, _total)];
        foreach ((int offset, byte[] data) in _fragments)
        {
            data.CopyTo(result, offset);
        }

        return result;
    }

    /// <summary>Octets covered contiguously from 0; -1 on a gap or overlap.</summary>
    private int Covered()
    {
        int next = 0;
        foreach ((int offset, byte[] data) in _fragments)
        {
            if (offset != next)
            {
                return -1;
            }

            next += data.Length;
        }

        return next;
    }
}
