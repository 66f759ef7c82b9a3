// MruList: ntpd's monitor list of recent clients (ntpd 4.2.8 accopt.html "discard", miscopt.html
// "mru"; ntpq mrulist), with memory fixed at start so that a storm of spoofed sources cannot grow
// it. Entries live in one preallocated struct array; an open-addressing index (linear probing,
// at most half full, backward-shift deletion, no tombstones) finds a host in O(1) expected; a
// doubly linked list through array indices keeps them from most to least recently used.
// The index hash is keyed with a secret from the injected random source, so an attacker cannot
// choose addresses that collide. Nothing on the per-packet path allocates.
// Recycling follows ntpd: below mindepth a new client always gets a free entry; above it the
// oldest entry is recycled once older than maxage; otherwise a free entry is used while any is
// left; when the list is full the oldest entry is replaced with probability age / monitor, and
// otherwise the new client is simply not recorded (and so not rate limited — as in ntpd).
// Read API (ntpq mrulist): Count, Capacity, foreach from newest to oldest, OldestFirst, TryGet.
// All calls belong on the event-loop thread; do not record packets while enumerating.
namespace Stratum.Engine.Access;

/// <summary>Bounded most-recently-used list of clients.</summary>
public sealed class MruList
{
    /// <summary>Memory charged per entry for "mru maxmem" (the entry plus its share of the index).</summary>
    public const int BytesPerEntry = 128;

    private const int None = -1;

    private readonly MruEntry[] _entries;
    private readonly int[] _index;
    private readonly int _indexMask;
    private readonly int[] _free;
    private readonly ulong _hashKeyLow;
    private readonly ulong _hashKeyHigh;
    private ulong _randomState;
    private int _freeCount;
    private int _newest = None;
    private int _oldest = None;

    /// <param name="settings">Capacity and recycling limits.</param>
    /// <param name="seed">Secret for the index hash and the replacement draws (from the CSPRNG in ntpd).</param>
    public MruList(MruSettings settings, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        int capacity = Math.Clamp(settings.Capacity, 0, MruSettings.MaxCapacity);
        _entries = new MruEntry[capacity];
        _free = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _free[i] = capacity - 1 - i;
        }

        _freeCount = capacity;
        int indexSize = (int)Math.Max(2, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, capacity * 2)));
        _index = new int[indexSize];
        _indexMask = indexSize - 1;
        _randomState = seed;
        _hashKeyLow = NextRandom() | 1;
        _hashKeyHigh = NextRandom() | 1;
    }

    public MruSettings Settings { get; }

    /// <summary>Entries in use.</summary>
    public int Count => _entries.Length - _freeCount;

    /// <summary>Most entries the list can hold.</summary>
    public int Capacity => _entries.Length;

    /// <summary>Highest <see cref="Count"/> so far.</summary>
    public int PeakCount { get; private set; }

    /// <summary>Entries recycled for a new client (aged out or replaced when full).</summary>
    public long Recycled { get; private set; }

    /// <summary>Packets from new clients that found the list full and were not recorded.</summary>
    public long NotRecorded { get; private set; }

    /// <summary>The client's entry, or false when it is not in the list.</summary>
    public bool TryGet(in ClientAddress host, out MruEntryView entry)
    {
        int found = Find(host, Hash(host));
        entry = found == None ? default : MruEntryView.From(_entries[found]);
        return found != None;
    }

    /// <summary>Entries from the most to the least recently heard from.</summary>
    public Enumerator GetEnumerator() => new(this, newestFirst: true);

    /// <summary>Entries from the least to the most recently heard from (the order ntpq mrulist pages in).</summary>
    public OldestFirstEnumerable OldestFirst => new(this);

    internal ref MruEntry this[int slot] => ref _entries[slot];

    /// <summary>The slot of <paramref name="host"/>, moved to the front, or -1 when it is new.</summary>
    internal int Touch(in ClientAddress host, out uint hash)
    {
        hash = Hash(host);
        int found = Find(host, hash);
        if (found != None && found != _newest)
        {
            Unlink(found);
            LinkNewest(found);
        }

        return found;
    }

    /// <summary>A fresh, zeroed entry for a new host at the front, or -1 when ntpd's policy says not
    /// to record it (list full and the oldest entry too young to replace).</summary>
    internal int Add(in ClientAddress host, uint hash, long nowMono)
    {
        int slot;
        if (_entries.Length == 0)
        {
            NotRecorded++;
            return None;
        }

        if (Count < Settings.MinDepth && _freeCount > 0)
        {
            slot = _free[--_freeCount];
        }
        else
        {
            long oldestAge = _oldest == None ? 0 : AgeSeconds(_entries[_oldest].LastMono, nowMono);
            if (_oldest != None && Settings.MaxAgeSeconds >= 0 && oldestAge > Settings.MaxAgeSeconds)
            {
                slot = Recycle();
            }
            else if (_freeCount > 0)
            {
                slot = _free[--_freeCount];
            }
            else if (Settings.MonitorSeconds > 0 && NextUnit() * Settings.MonitorSeconds >= oldestAge)
            {
                // The draw failed: r > age / monitor.
                NotRecorded++;
                return None;
            }
            else
            {
                slot = Recycle();
            }
        }

        _entries[slot] = new MruEntry { Address = host, Hash = hash, Newer = None, Older = None };
        Insert(slot, hash);
        LinkNewest(slot);
        PeakCount = Math.Max(PeakCount, Count);
        return slot;
    }

    /// <summary>Whole seconds between two monotonic times, rounded to nearest (ntpd rounds up from ½ s).</summary>
    internal static long AgeSeconds(long thenMono, long nowMono) =>
        (nowMono - thenMono + (LoopTime.NanosecondsPerSecond / 2)) / LoopTime.NanosecondsPerSecond;

    private int Recycle()
    {
        int slot = _oldest;
        Unlink(slot);
        Delete(slot);
        Recycled++;
        return slot;
    }

    private uint Hash(in ClientAddress host)
    {
        ulong low = ((ulong)host.Value ^ _hashKeyLow) * 0x9E3779B97F4A7C15UL;
        ulong high = ((ulong)(host.Value >> 64) ^ _hashKeyHigh) * 0xC2B2AE3D27D4EB4FUL;
        ulong mixed = low ^ System.Numerics.BitOperations.RotateLeft(high, 31) ^ (byte)host.Family;
        mixed ^= mixed >> 29;
        mixed *= 0xBF58476D1CE4E5B9UL;
        mixed ^= mixed >> 32;
        return (uint)mixed;
    }

    private int Find(in ClientAddress host, uint hash)
    {
        int position = (int)hash & _indexMask;
        while (true)
        {
            int stored = _index[position];
            if (stored == 0)
            {
                return None;
            }

            ref MruEntry entry = ref _entries[stored - 1];
            if (entry.Hash == hash && entry.Address.SameHost(host))
            {
                return stored - 1;
            }

            position = (position + 1) & _indexMask;
        }
    }

    private void Insert(int slot, uint hash)
    {
        int position = (int)hash & _indexMask;
        while (_index[position] != 0)
        {
            position = (position + 1) & _indexMask;
        }

        _index[position] = slot + 1;
    }

    /// <summary>Removes a slot from the index, shifting later members of its probe run back.</summary>
    private void Delete(int slot)
    {
        int hole = (int)_entries[slot].Hash & _indexMask;
        while (_index[hole] != slot + 1)
        {
            hole = (hole + 1) & _indexMask;
        }

        int next = hole;
        while (true)
        {
            next = (next + 1) & _indexMask;
            int stored = _index[next];
            if (stored == 0)
            {
                break;
            }

            int home = (int)_entries[stored - 1].Hash & _indexMask;
            // Move the entry into the hole unless its home lies cyclically in (hole, next].
            bool homeBetween = hole <= next ? home > hole && home <= next : home > hole || home <= next;
            if (!homeBetween)
            {
                _index[hole] = stored;
                hole = next;
            }
        }

        _index[hole] = 0;
    }

    private void Unlink(int slot)
    {
        ref MruEntry entry = ref _entries[slot];
        if (entry.Newer != None)
        {
            _entries[entry.Newer].Older = entry.Older;
        }
        else
        {
            _newest = entry.Older;
        }

        if (entry.Older != None)
        {
            _entries[entry.Older].Newer = entry.Newer;
        }
        else
        {
            _oldest = entry.Newer;
        }

        entry.Newer = None;
        entry.Older = None;
    }

    private void LinkNewest(int slot)
    {
        ref MruEntry entry = ref _entries[slot];
        entry.Newer = None;
        entry.Older = _newest;
        if (_newest != None)
        {
            _entries[_newest].Newer = slot;
        }

        _newest = slot;
        if (_oldest == None)
        {
            _oldest = slot;
        }
    }

    private ulong NextRandom()
    {
        // splitmix64: the draws only decide which old entry to replace; the seed is secret.
        ulong z = _randomState += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private double NextUnit() => (NextRandom() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Walks the list without allocating; the list must not change meanwhile.</summary>
    public struct Enumerator
    {
        private readonly MruList _list;
        private readonly bool _newestFirst;
        private int _next;

        internal Enumerator(MruList list, bool newestFirst)
        {
            _list = list;
            _newestFirst = newestFirst;
            _next = newestFirst ? list._newest : list._oldest;
            Current = default;
        }

        public MruEntryView Current { get; private set; }

        public bool MoveNext()
        {
            if (_next == None)
            {
                return false;
            }

            ref MruEntry entry = ref _list._entries[_next];
            Current = MruEntryView.From(entry);
            _next = _newestFirst ? entry.Older : entry.Newer;
            return true;
        }
    }

    /// <summary>foreach over the list from its oldest entry.</summary>
    public readonly struct OldestFirstEnumerable
    {
        private readonly MruList _list;

        internal OldestFirstEnumerable(MruList list) => _list = list;

        public Enumerator GetEnumerator() => new(_list, newestFirst: false);
    }
}
