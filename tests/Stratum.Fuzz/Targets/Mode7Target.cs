// Mode7Target: ntpd's mode 7 messages (Mode7Message.TryRead) and the item parsers ntpdc applies to
// a response's data (peer list, peer summary and info, system info and stats, loop, kernel, I/O
// stats) over any datagram. Beyond "no exception": a failure names a reason; data is item count ×
// item size; header and data re-encode to the same octets (a response's byte 1 high bit is not a
// field, so it is masked); an item that parses, written out and read back, writes the same
// octets again (items hold arrays, so their records do not compare by value).
using Stratum.Core.Mode7;

namespace Stratum.Fuzz.Targets;

internal static class Mode7Target
{
    private delegate bool ItemReader<T>(ReadOnlySpan<byte> source, out T? item)
        where T : class;

    private delegate void ItemWriter<in T>(T item, Span<byte> destination);

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (!Mode7Message.TryRead(input, out Mode7Header header, out ReadOnlySpan<byte> data, out Mode7MessageError error))
        {
            FuzzInvariantException.Check(error != Mode7MessageError.None, "TryRead failed without a reason");
            return;
        }

        FuzzInvariantException.Check(error == Mode7MessageError.None, $"TryRead succeeded with error {error}");
        FuzzInvariantException.Check(data.Length == header.ItemCount * header.ItemSize, "data is not item count × item size");
        CheckReencoding(input, header, data);
        if (header.ItemSize == 0)
        {
            return;
        }

        for (int offset = 0; offset + header.ItemSize <= data.Length; offset += header.ItemSize)
        {
            ReadOnlySpan<byte> item = data.Slice(offset, header.ItemSize);
            CheckItem<PeerListItem>(item, PeerListItem.TryRead, static (x, d) => x.Write(d), PeerListItem.Size);
            CheckItem<PeerSummaryItem>(item, PeerSummaryItem.TryRead, static (x, d) => x.Write(d), PeerSummaryItem.Size);
            CheckItem<PeerInfoItem>(item, PeerInfoItem.TryRead, static (x, d) => x.Write(d), PeerInfoItem.Size);
            CheckItem<SystemInfoItem>(item, SystemInfoItem.TryRead, static (x, d) => x.Write(d), SystemInfoItem.Size);
            CheckItem<SystemStatsItem>(item, SystemStatsItem.TryRead, static (x, d) => x.Write(d), SystemStatsItem.Size);
            CheckItem<LoopInfoItem>(item, LoopInfoItem.TryRead, static (x, d) => x.Write(d), LoopInfoItem.Size);
            CheckItem<KernelInfoItem>(item, KernelInfoItem.TryRead, static (x, d) => x.Write(d), KernelInfoItem.Size);
            CheckItem<IoStatsItem>(item, IoStatsItem.TryRead, static (x, d) => x.Write(d), IoStatsItem.Size);
        }
    }

    private static void CheckReencoding(ReadOnlySpan<byte> input, Mode7Header header, ReadOnlySpan<byte> data)
    {
        int maxData = header.IsResponse ? Mode7Message.MaxResponseData : Mode7Message.RequestDataSize;
        if (data.Length > maxData)
        {
            return; // a request longer than ntpdc's fixed size: readable, but Write makes only standard ones
        }

        Span<byte> encoded = stackalloc byte[Mode7Message.HeaderSize + Mode7Message.MaxResponseData];
        int written = Mode7Message.Write(header, data, encoded);
        int expected = header.IsResponse ? Mode7Message.HeaderSize + data.Length : Mode7Message.RequestLength;
        FuzzInvariantException.Check(written == expected, $"Write returned {written}, not {expected}");
        int compared = Mode7Message.HeaderSize + data.Length;
        byte secondMask = header.IsResponse ? (byte)0x7F : (byte)0xFF;
        bool same = encoded[0] == input[0] && (encoded[1] & secondMask) == (input[1] & secondMask)
            && encoded[2..compared].SequenceEqual(input[2..compared]);
        FuzzInvariantException.Check(same, "header and data do not re-encode to the same octets");
    }

    private static void CheckItem<T>(ReadOnlySpan<byte> source, ItemReader<T> read, ItemWriter<T> write, int size)
        where T : class
    {
        if (!read(source, out T? item))
        {
            return;
        }

        FuzzInvariantException.Check(item is not null, $"{typeof(T).Name}.TryRead succeeded without an item");
        Span<byte> encoded = stackalloc byte[size];
        write(item!, encoded);
        FuzzInvariantException.Check(read(encoded, out T? again) && again is not null, $"{typeof(T).Name} does not read back what it wrote");
        Span<byte> encodedAgain = stackalloc byte[size];
        write(again!, encodedAgain);
        FuzzInvariantException.Check(encoded.SequenceEqual(encodedAgain), $"{typeof(T).Name} changes when written and read back");
    }
}
