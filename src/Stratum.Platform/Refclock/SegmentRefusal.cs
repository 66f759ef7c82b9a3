// SegmentRefusal: why the SHM driver did not use an existing segment of unit 0 or 1 (the units only
// root's processes may write): its owner or creator is another user, or group or others may write
// it. SharedMemoryRefclock.Vet decides; the reason becomes the log line.
namespace Stratum.Platform.Refclock;

/// <summary>Why an existing SHM segment was not used.</summary>
public enum SegmentRefusal
{
    None = 0,

    /// <summary>Unit 0 or 1, and the owner or creator is neither root nor the daemon's user.</summary>
    Owner = 1,

    /// <summary>Unit 0 or 1, and the group or others may write it.</summary>
    WritableByOthers = 2,
}
