// LeapSecondTable: the content of a leap-seconds.list file, and the questions the daemon asks
// of it: TAI-UTC at a time, the next leap second after a time, and whether the list has expired
// (then it may miss an announced leap second; ntpd warns). Times are NTP seconds since
// 1900-01-01 UTC without era folding; an NtpTimestamp is read with RFC 4330's era rule
// (1968-2104). Core reads no clock: every query takes the time from the caller.
using Stratum.Core.Time;

namespace Stratum.Core.Leap;

/// <summary>Leap seconds, last update and expiry of one list.</summary>
public sealed class LeapSecondTable
{
    private readonly LeapSecondEntry[] _entries;

    /// <param name="lastUpdate">The "#$" time.</param>
    /// <param name="expiry">The "#@" time.</param>
    /// <param name="entries">Data lines in ascending time order.</param>
    /// <param name="isHashVerified">True when a "#h" line matched the data.</param>
    public LeapSecondTable(long lastUpdate, long expiry, IReadOnlyList<LeapSecondEntry> entries, bool isHashVerified)
    {
        ArgumentNullException.ThrowIfNull(entries);
        LastUpdate = lastUpdate;
        Expiry = expiry;
        IsHashVerified = isHashVerified;
        _entries = new LeapSecondEntry[entries.Count];
        for (int i = 0; i < entries.Count; i++)
        {
            if (i > 0 && entries[i].SecondsSince1900 <= entries[i - 1].SecondsSince1900)
            {
                throw new ArgumentException("entries are not in ascending time order", nameof(entries));
            }

            _entries[i] = entries[i];
        }
    }

    /// <summary>When the list was last updated (NTP seconds).</summary>
    public long LastUpdate { get; }

    /// <summary>When the list stops being valid (NTP seconds).</summary>
    public long Expiry { get; }

    /// <summary>True when the file's "#h" SHA-1 matched its data fields.</summary>
    public bool IsHashVerified { get; }

    public IReadOnlyList<LeapSecondEntry> Entries => _entries;

    /// <summary>NTP seconds of <paramref name="time"/>, era by RFC 4330 §3 (1968-2104).</summary>
    public static long ToSecondsSince1900(NtpTimestamp time) =>
        (time.Seconds & 0x8000_0000u) != 0 ? time.Seconds : time.Seconds + (1L << 32);

    /// <summary>True when <paramref name="now"/> is at or after the expiry time.</summary>
    public bool IsExpiredAt(long now) => now >= Expiry;

    public bool IsExpiredAt(NtpTimestamp now) => IsExpiredAt(ToSecondsSince1900(now));

    /// <summary>TAI-UTC at <paramref name="time"/>; null before the first entry (1972).</summary>
    public int? TaiOffsetAt(long time)
    {
        int index = LastEntryAtOrBefore(time);
        return index < 0 ? null : _entries[index].TaiOffset;
    }

    public int? TaiOffsetAt(NtpTimestamp time) => TaiOffsetAt(ToSecondsSince1900(time));

    /// <summary>The first leap second whose new offset takes effect after <paramref name="time"/>; null if none is listed.</summary>
    public LeapEvent? NextLeapAfter(long time)
    {
        int next = LastEntryAtOrBefore(time) + 1;
        if (next == 0)
        {
            // The first entry starts the table; it is no leap second.
            next = 1;
        }

        if (next >= _entries.Length)
        {
            return null;
        }

        LeapSecondEntry entry = _entries[next];
        LeapKind kind = entry.TaiOffset > _entries[next - 1].TaiOffset ? LeapKind.Insert : LeapKind.Delete;
        return new LeapEvent(entry.SecondsSince1900, kind, entry.TaiOffset);
    }

    public LeapEvent? NextLeapAfter(NtpTimestamp time) => NextLeapAfter(ToSecondsSince1900(time));

    /// <summary>Index of the last entry at or before <paramref name="time"/>, or -1.</summary>
    private int LastEntryAtOrBefore(long time)
    {
        int low = 0;
        int high = _entries.Length - 1;
        int found = -1;
        while (low <= high)
        {
            int middle = low + ((high - low) / 2);
            if (_entries[middle].SecondsSince1900 <= time)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }
}
