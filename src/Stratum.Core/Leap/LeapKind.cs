// LeapKind: which way a leap second moves UTC against TAI (ITU-R TF.460): an inserted second
// (23:59:60) raises TAI-UTC by one, a deleted one (23:59:59 skipped) lowers it by one. Every leap
// second so far has been inserted. Values are explicit because the leap bits of the NTP header
// are derived from them.
namespace Stratum.Core.Leap;

/// <summary>Direction of a leap second.</summary>
public enum LeapKind : byte
{
    /// <summary>The last minute of the day has 61 seconds; TAI-UTC grows by one.</summary>
    Insert = 1,

    /// <summary>The last minute of the day has 59 seconds; TAI-UTC shrinks by one.</summary>
    Delete = 2,
}
