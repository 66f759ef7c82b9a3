// SystemStatsItem: struct info_sys_stats of ntpd 4.2.8's ntp_request.h, answering REQ_SYS_STATS
// (ntpdc sysstats): thirteen 32-bit counters, 52 octets; older servers send the first 44 (without
// limitrejected, lamport, tsrounding). Order: timeup, timereset, denied, oldversionpkt,
// newversionpkt, unknownversion, badlength, processed, badauth, received, limitrejected, lamport,
// tsrounding.
using System.Buffers.Binary;

namespace Stratum.Core.Mode7;

/// <summary>Server packet counters as mode 7 carries them.</summary>
public sealed record SystemStatsItem(
    uint TimeUp, uint TimeReset, uint Denied, uint OldVersion, uint NewVersion, uint UnknownVersion,
    uint BadLength, uint Processed, uint BadAuthentication, uint Received, uint LimitRejected)
{
    public const int Size = 52;
    public const int LegacySize = 40;

    public void Write(Span<byte> destination)
    {
        destination[..Size].Clear();
        uint[] values = [TimeUp, TimeReset, Denied, OldVersion, NewVersion, UnknownVersion, BadLength, Processed, BadAuthentication, Received, LimitRejected];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(4 * i)..], values[i]);
        }
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out SystemStatsItem? item)
    {
        item = null;
        if (source.Length < LegacySize)
        {
            return false;
        }

        var at = new uint[11];
        for (int i = 0; i < at.Length && (4 * (i + 1)) <= source.Length; i++)
        {
            at[i] = BinaryPrimitives.ReadUInt32BigEndian(source[(4 * i)..]);
        }

        item = new SystemStatsItem(at[0], at[1], at[2], at[3], at[4], at[5], at[6], at[7], at[8], at[9], at[10]);
        return true;
    }
}
