// IoStatsItem: struct info_io_stats of ntpd 4.2.8's ntp_request.h, answering REQ_IO_STATS (ntpdc
// iostats). 40 octets: timereset 0, totalrecvbufs 4, freerecvbufs 6, fullrecvbufs 8, lowwater 10
// (16-bit), then dropped, ignored, received, sent, notsent, interrupts, int_received (32-bit).
using System.Buffers.Binary;

namespace Stratum.Core.Mode7;

/// <summary>I/O counters as mode 7 carries them.</summary>
public sealed record IoStatsItem(
    uint TimeReset, ushort TotalReceiveBuffers, ushort FreeReceiveBuffers, ushort FullReceiveBuffers, ushort LowWater,
    uint Dropped, uint Ignored, uint Received, uint Sent, uint NotSent, uint Interrupts, uint InterruptReceived)
{
    public const int Size = 40;

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, TimeReset);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], TotalReceiveBuffers);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], FreeReceiveBuffers);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], FullReceiveBuffers);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], LowWater);
        uint[] counters = [Dropped, Ignored, Received, Sent, NotSent, Interrupts, InterruptReceived];
        for (int i = 0; i < counters.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(12 + (4 * i))..], counters[i]);
        }
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out IoStatsItem? item)
    {
        item = null;
        if (source.Length < Size)
        {
            return false;
        }

        var at = new uint[7];
        for (int i = 0; i < at.Length; i++)
        {
            at[i] = BinaryPrimitives.ReadUInt32BigEndian(source[(12 + (4 * i))..]);
        }

        item = new IoStatsItem(BinaryPrimitives.ReadUInt32BigEndian(source), BinaryPrimitives.ReadUInt16BigEndian(source[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[6..]), BinaryPrimitives.ReadUInt16BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[10..]), at[0], at[1], at[2], at[3], at[4], at[5], at[6]);
        return true;
    }
}
