// The MRU list (ntpd 4.2.8 "mru" and "discard monitor"): order, lookups, ntpd's recycling rules
// (mindepth, maxage, full list with the monitor draw), index integrity through many evictions,
// and a spoofed-source storm that leaves the list at its cap, keeps a busy real client, and
// allocates nothing.
using System.Runtime.CompilerServices;
using Stratum.Core.Config;
using Stratum.Core.Time;
using Stratum.Engine.Access;

namespace Stratum.Engine.Tests.Access;

public class MruListTests
{
    private const long Second = LoopTime.NanosecondsPerSecond;

    private static AccessControl Access(int capacity, int minDepth, int maxAge, int monitor = 3000) =>
        new(AccessSettings.Default with { Mru = new MruSettings(capacity, minDepth, maxAge, monitor) }, seed: 99);

    private static void Request(AccessControl access, ClientAddress client, long mono) =>
        access.AdmitTimeRequest(client, RestrictFlags.None, 0x23, mono, NtpTimestamp.FromParts((uint)(mono / Second), 0));

    private static ClientAddress V4(uint value, ushort port = 40000) => ClientAddress.FromIPv4(value, port);

    [Fact]
    public void Record_KeepsCountTimesModeVersionAndLatestPort()
    {
        AccessControl access = Access(16, 4, 64);
        ClientAddress client = AccessTestConfig.Address("192.0.2.1", 1000);
        access.AdmitTimeRequest(client, RestrictFlags.NoQuery, 0x1B, 10 * Second, NtpTimestamp.FromParts(100, 0));
        access.AdmitQuery(client.WithPort(2000), RestrictFlags.NoQuery, 0x16, 12 * Second, NtpTimestamp.FromParts(102, 0));
        Assert.True(access.Mru.TryGet(client, out MruEntryView entry));
        Assert.Equal(2, entry.Count);
        Assert.Equal(2000, entry.Address.Port);
        Assert.Equal(NtpTimestamp.FromParts(100, 0), entry.FirstSeen);
        Assert.Equal(NtpTimestamp.FromParts(102, 0), entry.LastSeen);
        Assert.Equal(10 * Second, entry.FirstSeenMono);
        Assert.Equal(12 * Second, entry.LastSeenMono);
        Assert.Equal(6, entry.Mode);
        Assert.Equal(2, entry.Version);
        Assert.Equal(RestrictFlags.NoQuery, entry.Flags);
    }

    [Fact]
    public void Enumerate_NewestFirst_OldestFirst()
    {
        AccessControl access = Access(16, 4, 64);
        for (uint i = 1; i <= 5; i++)
        {
            Request(access, V4(i), (long)i * Second);
        }

        Request(access, V4(2), 10 * Second);
        var newest = new List<uint>();
        foreach (MruEntryView entry in access.Mru)
        {
            newest.Add((uint)entry.Address.Value);
        }

        var oldest = new List<uint>();
        foreach (MruEntryView entry in access.Mru.OldestFirst)
        {
            oldest.Add((uint)entry.Address.Value);
        }

        Assert.Equal([2u, 5, 4, 3, 1], newest);
        Assert.Equal([1u, 3, 4, 5, 2], oldest);
    }

    [Fact]
    public void Add_BelowMinDepth_KeepsEveryEntryWhateverItsAge()
    {
        AccessControl access = Access(capacity: 10, minDepth: 5, maxAge: 1);
        for (uint i = 1; i <= 5; i++)
        {
            Request(access, V4(i), i * 1000 * Second);
        }

        Assert.Equal(5, access.Mru.Count);
        Assert.Equal(0, access.Mru.Recycled);
    }

    [Fact]
    public void Add_AboveMinDepth_RecyclesTheOldestOnceOlderThanMaxAge()
    {
        AccessControl access = Access(capacity: 10, minDepth: 2, maxAge: 64);
        Request(access, V4(1), 0);
        Request(access, V4(2), 1 * Second);
        Request(access, V4(3), 2 * Second);
        Assert.Equal(3, access.Mru.Count);
        // 100 s later the oldest (client 1) is older than maxage: it makes room instead of a free slot.
        Request(access, V4(4), 100 * Second);
        Assert.Equal(3, access.Mru.Count);
        Assert.Equal(1, access.Mru.Recycled);
        Assert.False(access.Mru.TryGet(V4(1), out _));
        Assert.True(access.Mru.TryGet(V4(4), out _));
    }

    [Fact]
    public void Add_FullListWithYoungOldest_MostlyDoesNotRecordNewClients()
    {
        AccessControl access = Access(capacity: 8, minDepth: 0, maxAge: 1000, monitor: 3000);
        for (uint i = 1; i <= 8; i++)
        {
            Request(access, V4(i), 0);
        }

        // The oldest entry is 30 s old: a new client replaces it with probability 30/3000.
        for (uint i = 100; i < 1100; i++)
        {
            Request(access, V4(i), 30 * Second);
        }

        Assert.Equal(8, access.Mru.Count);
        Assert.InRange(access.Mru.NotRecorded, 950, 1000);
        Assert.Equal(1000, access.Mru.NotRecorded + access.Mru.Recycled);
    }

    [Fact]
    public void Add_FullListWithOldestOlderThanMonitor_AlwaysReplacesIt()
    {
        AccessControl access = Access(capacity: 4, minDepth: 0, maxAge: -1, monitor: 10);
        for (uint i = 1; i <= 4; i++)
        {
            Request(access, V4(i), 0);
        }

        Request(access, V4(5), 20 * Second);
        Assert.Equal(0, access.Mru.NotRecorded);
        Assert.False(access.Mru.TryGet(V4(1), out _));
        Assert.True(access.Mru.TryGet(V4(5), out _));
    }

    [Fact]
    public void Index_SurvivesManyEvictions_EveryListedEntryIsFound()
    {
        AccessControl access = Access(capacity: 64, minDepth: 0, maxAge: 0);
        var random = new Random(3);
        long mono = 0;
        for (int i = 0; i < 50_000; i++)
        {
            mono += random.Next(0, 3) * Second;
            // A small address space so entries come back, collide in the index and get recycled.
            Request(access, V4((uint)random.Next(0, 300)), mono);
        }

        int listed = 0;
        var seen = new HashSet<UInt128>();
        foreach (MruEntryView entry in access.Mru)
        {
            listed++;
            Assert.True(seen.Add(entry.Address.Value), "an address is listed twice");
            Assert.True(access.Mru.TryGet(entry.Address, out MruEntryView found));
            Assert.Equal(entry, found);
        }

        Assert.Equal(access.Mru.Count, listed);
        Assert.InRange(access.Mru.Count, 1, 64);
        Assert.True(access.Mru.Recycled > 0);
    }

    [Fact]
    public void Storm_OfSpoofedSources_StaysAtCapServesTheRealClientAndAllocatesNothing()
    {
        // ntpd's defaults: about 8,000 entries (1 MiB), mindepth 600, maxage 64 s, monitor 3000.
        var access = new AccessControl(AccessSettings.Default, seed: 42);
        int capacity = access.Mru.Capacity;
        Assert.Equal(MruSettings.DefaultMaxMemoryKib * 1024 / MruList.BytesPerEntry, capacity);
        ClientAddress real = AccessTestConfig.Address("192.0.2.1", 123);
        var random = new Random(11);
        var spoofed = new ClientAddress[4096];
        for (int i = 0; i < spoofed.Length; i++)
        {
            spoofed[i] = random.Next(2) == 0
                ? ClientAddress.FromIPv4((uint)random.Next(), (ushort)random.Next(1, 65536))
                : new ClientAddress(ClientAddressFamily.IPv6, ((UInt128)(ulong)random.NextInt64() << 64) | (ulong)random.NextInt64(), 123);
        }

        // One million spoofed requests over 100 s (10k/s); the real client asks every 16 s.
        long before = GC.GetAllocatedBytesForCurrentThread();
        long mono = 0;
        int realServed = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            mono += 100_000;
            ClientAddress source = spoofed[i & 4095].WithPort((ushort)i);
            source = new ClientAddress(source.Family, source.Value ^ (UInt128)(uint)i, source.Port);
            access.AdmitTimeRequest(source, RestrictFlags.Limited, 0x23, mono, default);
            if (i % 160_000 == 0)
            {
                realServed += access.AdmitTimeRequest(real, RestrictFlags.Limited, 0x23, mono, default) == TimeAdmission.Serve ? 1 : 0;
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(7, realServed);
        Assert.Equal(capacity, access.Mru.Count);
        Assert.Equal(capacity, access.Mru.PeakCount);
        // Every spoofed source was new: each either replaced an old entry or was not recorded.
        Assert.True(access.Mru.Recycled + access.Mru.NotRecorded >= 1_000_000 - capacity, $"recycled {access.Mru.Recycled}, not recorded {access.Mru.NotRecorded}");
    }

    [Fact]
    public void Settings_FromConfig_FollowNtpdDefaultsAndBounds()
    {
        Assert.Equal(new MruSettings(8192, 600, 64, 3000), MruSettings.Default);
        Assert.Equal(100, MruSettings.From(new MruOptions { MaxDepth = 100 }, DiscardOptions.Default).Capacity);
        Assert.Equal(16, MruSettings.From(new MruOptions { MaxMemoryKib = 2 }, DiscardOptions.Default).Capacity);
        Assert.Equal(16, MruSettings.From(new MruOptions { MaxDepth = 100, MaxMemoryKib = 2 }, DiscardOptions.Default).Capacity);
        Assert.Equal(MruSettings.MaxCapacity, MruSettings.From(new MruOptions { MaxDepth = int.MaxValue }, DiscardOptions.Default).Capacity);
        MruSettings small = MruSettings.From(new MruOptions { MaxDepth = 10, MinDepth = 50, MaxAgeSeconds = 5 }, new DiscardOptions { Monitor = 7 });
        Assert.Equal(new MruSettings(10, 10, 5, 7), small);
    }

    [Fact]
    public void BytesPerEntry_CoversTheEntryAndItsIndexShare()
    {
        // Each entry costs its struct, a free-list slot and up to two index slots (the index is at most half full).
        Assert.True(Unsafe.SizeOf<MruEntry>() + 3 * sizeof(int) <= MruList.BytesPerEntry, $"MruEntry is {Unsafe.SizeOf<MruEntry>()} bytes");
    }

    [Fact]
    public void ZeroCapacity_RecordsNothingAndStillAdmits()
    {
        AccessControl access = Access(capacity: 0, minDepth: 0, maxAge: 64);
        Assert.Equal(TimeAdmission.Serve, access.AdmitTimeRequest(V4(1), RestrictFlags.Limited, 0x23, 0, default));
        Assert.Equal(0, access.Mru.Count);
        Assert.Equal(1, access.Mru.NotRecorded);
    }
}
