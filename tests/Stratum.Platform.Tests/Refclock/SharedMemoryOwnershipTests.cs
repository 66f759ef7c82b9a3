// SHM units 0 and 1 take time only from a segment no one but root (or the daemon's user) can write:
// the decision on synthetic owner and mode values, then against real System V segments made here
// under keys of a test-only range ("ST" + a per-process block, never the NTP0.. keys a real gpsd
// uses), given unit 0's or unit 2's rules. Every segment is removed with IPC_RMID in a finally.
using Stratum.Platform.Interop;
using Stratum.Platform.Refclock;

namespace Stratum.Platform.Tests.Refclock;

public sealed class SharedMemoryOwnershipTests
{
    private static int s_nextKey = 0x53540000 + ((Environment.ProcessId % 0x1000) * 0x10);

    private static int NextKey() => Interlocked.Increment(ref s_nextKey);

    [Theory]
    [InlineData(0, 0u, 0u, 0x180, 0u, SegmentRefusal.None)]             // root's, 0600
    [InlineData(1, 0u, 0u, 0x1A4, 0u, SegmentRefusal.None)]             // 0644: others may read, not write
    [InlineData(0, 1000u, 1000u, 0x180, 1000u, SegmentRefusal.None)]    // the daemon's own user
    [InlineData(0, 0u, 1000u, 0x180, 1000u, SegmentRefusal.None)]       // made by the daemon, given to root
    [InlineData(0, 1000u, 0u, 0x180, 0u, SegmentRefusal.Owner)]         // another user's (gpsd running as itself)
    [InlineData(1, 0u, 1000u, 0x180, 0u, SegmentRefusal.Owner)]         // made by another user, given to root
    [InlineData(0, 0u, 0u, 0x1B6, 0u, SegmentRefusal.WritableByOthers)] // 0666
    [InlineData(0, 0u, 0u, 0x190, 0u, SegmentRefusal.WritableByOthers)] // 0620: the group may write
    [InlineData(1, 0u, 0u, 0x182, 0u, SegmentRefusal.WritableByOthers)] // 0602
    [InlineData(2, 1000u, 1000u, 0x1B6, 0u, SegmentRefusal.None)]       // units 2 and up are anyone's
    [InlineData(9, 1000u, 1000u, 0x1B6, 0u, SegmentRefusal.None)]
    public void Vet_UnitsZeroAndOne_OwnerRootOrUs_NotWritableByOthers(byte unit, uint userId, uint creatorUserId, int mode, uint self, SegmentRefusal expected) =>
        Assert.Equal(expected, SharedMemoryRefclock.Vet(unit, userId, creatorUserId, mode, self));

    [Fact]
    public void RefusalText_NamesUnitKeyOwnerAndMode()
    {
        Assert.Equal("SHM(0): segment 0x4E545030 belongs to uid 1000 (created by uid 1000), neither root nor this daemon (uid 0); refused, not used",
            SharedMemoryRefclock.RefusalText(0, SharedMemoryRefclock.BaseKey, SegmentRefusal.Owner, 1000, 1000, 0x180, 0));
        Assert.Equal("SHM(1): segment 0x4E545031 has mode 0666, writable by group or others (units 0 and 1 must be 0600); refused, not used",
            SharedMemoryRefclock.RefusalText(1, SharedMemoryRefclock.BaseKey + 1, SegmentRefusal.WritableByOthers, 0, 0, 0x1B6, 0));
    }

    [Fact]
    public void ExistingWorldWritableSegment_UnitZero_Refused_UnitTwo_Used()
    {
        int key = NextKey();
        int id = Create(key, 0x1B6);
        try
        {
            Assert.Null(SharedMemoryRefclock.Open(0, key, false, out string? error));
            Assert.Equal($"SHM(0): segment 0x{key:X8} has mode 0666, writable by group or others (units 0 and 1 must be 0600); refused, not used", error);

            using SharedMemoryRefclock? driver = SharedMemoryRefclock.Open(2, key, false, out error);
            Assert.True(driver is not null, error);
        }
        finally
        {
            Remove(id);
        }
    }

    [Fact]
    public void ExistingSegmentOfAnotherUser_UnitZero_Refused()
    {
        int key = NextKey();
        int id = Create(key, 0x180);
        try
        {
            Assert.True(SharedMemoryCalls.TrySetOwner(id, 65534, 0x180), "IPC_SET");
            Assert.Null(SharedMemoryRefclock.Open(0, key, false, out string? error));
            Assert.NotNull(error);
            Assert.StartsWith($"SHM(0): segment 0x{key:X8} belongs to uid 65534 (created by uid ", error, StringComparison.Ordinal);
            Assert.EndsWith("neither root nor this daemon (uid " + FileCalls.GetEffectiveUserId() + "); refused, not used", error, StringComparison.Ordinal);
        }
        finally
        {
            Remove(id);
        }
    }

    [Fact]
    public void ExistingOwnerOnlySegmentOfOurs_UnitZero_Used()
    {
        int key = NextKey();
        int id = Create(key, 0x180);
        try
        {
            using SharedMemoryRefclock? driver = SharedMemoryRefclock.Open(0, key, false, out string? error);
            Assert.True(driver is not null, error);
            Assert.Null(error);
        }
        finally
        {
            Remove(id);
        }
    }

    [Fact]
    public void MissingSegment_UnitZero_CreatedOwnerOnly()
    {
        int key = NextKey();
        try
        {
            using SharedMemoryRefclock? driver = SharedMemoryRefclock.Open(0, key, false, out string? error);
            Assert.True(driver is not null, error);
            int id = SharedMemoryCalls.Get(key, 0, 0);
            Assert.True(SharedMemoryCalls.TryGetOwner(id, out uint userId, out uint creatorUserId, out int mode));
            Assert.Equal(0x180, mode);
            Assert.Equal(FileCalls.GetEffectiveUserId(), userId);
            Assert.Equal(FileCalls.GetEffectiveUserId(), creatorUserId);
        }
        finally
        {
            int id = SharedMemoryCalls.Get(key, 0, 0);
            if (id >= 0)
            {
                Remove(id);
            }
        }
    }

    private static int Create(int key, int mode)
    {
        int id = SharedMemoryCalls.Get(key, SharedMemoryRefclock.SegmentSize, SharedMemoryCalls.Create | SharedMemoryCalls.Exclusive | mode);
        Assert.True(id >= 0, $"shmget(0x{key:X8}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        return id;
    }

    private static void Remove(int id) => Assert.Equal(0, SharedMemoryCalls.Control(id, SharedMemoryCalls.Remove, 0));
}
