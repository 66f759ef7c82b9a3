// LoopInfoItem: struct info_loop of ntpd 4.2.8's ntp_request.h, answering REQ_LOOP_INFO (ntpdc
// loopinfo). 24 octets: last_offset 0 (l_fp seconds), drift_comp 8 (l_fp ppm), compliance 16
// (ntpd puts the time constant here), watchdog_timer 20 (seconds since the last update).
using System.Buffers.Binary;

namespace Stratum.Core.Mode7;

/// <summary>Loop filter state as mode 7 carries it.</summary>
public sealed record LoopInfoItem(long LastOffset, long DriftCompensation, int Compliance, uint WatchdogTimer)
{
    public const int Size = 24;

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, LastOffset);
        BinaryPrimitives.WriteInt64BigEndian(destination[8..], DriftCompensation);
        BinaryPrimitives.WriteInt32BigEndian(destination[16..], Compliance);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], WatchdogTimer);
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out LoopInfoItem? item)
    {
        item = source.Length < Size ? null : new LoopInfoItem(BinaryPrimitives.ReadInt64BigEndian(source),
            BinaryPrimitives.ReadInt64BigEndian(source[8..]), BinaryPrimitives.ReadInt32BigEndian(source[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[20..]));
        return item is not null;
    }
}
