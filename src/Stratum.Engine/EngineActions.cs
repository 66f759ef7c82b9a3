// EngineActions: the caller-owned buffer the Engine writes its decisions into (ARCHITECTURE.md §3):
// log notices, clock actions (step, slew, frequency, status), packets to send for associations, and
// the next timer deadline. The host carries them out in order after each Engine call. Packets are
// copied into one reusable byte buffer, so polling allocates nothing once the buffer has grown;
// notices are rare events.
namespace Stratum.Engine;

/// <summary>Actions produced by one Engine call, carried out by the event loop afterwards.</summary>
public sealed class EngineActions
{
    private readonly List<EngineNotice> _notices = [];
    private readonly List<ClockAction> _clockActions = [];
    private readonly List<OutgoingPacket> _packets = [];
    private readonly List<LoopStatsRecord> _loopStats = [];
    private readonly List<PeerStatsRecord> _peerStats = [];
    private readonly List<RawStatsRecord> _rawStats = [];
    private byte[] _packetBytes = new byte[512];
    private int _packetBytesUsed;

    public IReadOnlyList<EngineNotice> Notices => _notices;

    public IReadOnlyList<ClockAction> ClockActions => _clockActions;

    public IReadOnlyList<OutgoingPacket> Packets => _packets;

    /// <summary>Clock discipline updates, for loopstats.</summary>
    public IReadOnlyList<LoopStatsRecord> LoopStats => _loopStats;

    /// <summary>Accepted peer samples, for peerstats.</summary>
    public IReadOnlyList<PeerStatsRecord> PeerStats => _peerStats;

    public void RecordLoop(in LoopStatsRecord record) => _loopStats.Add(record);

    public void RecordPeer(in PeerStatsRecord record) => _peerStats.Add(record);

    /// <summary>rawstats lines to write: one per accepted reply.</summary>
    public IReadOnlyList<RawStatsRecord> RawStats => _rawStats;

    public void RecordRaw(in RawStatsRecord record) => _rawStats.Add(record);

    /// <summary>Monotonic deadline (ns) of the next OnTimer call; long.MaxValue when none.</summary>
    public long NextDeadline { get; set; } = long.MaxValue;

    public void Notice(NoticeKind kind, string text) => _notices.Add(new EngineNotice(kind, text));

    public void Clock(ClockAction action) => _clockActions.Add(action);

    /// <summary>Queues <paramref name="packet"/> for association <paramref name="associationId"/>.</summary>
    public void Send(int associationId, ReadOnlySpan<byte> packet)
    {
        if (_packetBytesUsed + packet.Length > _packetBytes.Length)
        {
            Array.Resize(ref _packetBytes, Math.Max(_packetBytes.Length * 2, _packetBytesUsed + packet.Length));
        }

        packet.CopyTo(_packetBytes.AsSpan(_packetBytesUsed));
        _packets.Add(new OutgoingPacket(associationId, _packetBytesUsed, packet.Length));
        _packetBytesUsed += packet.Length;
    }

    /// <summary>The bytes of a queued packet (valid until <see cref="Clear"/>).</summary>
    public Span<byte> PacketBytes(in OutgoingPacket packet) => _packetBytes.AsSpan(packet.Offset, packet.Length);

    public void Clear()
    {
        _notices.Clear();
        _clockActions.Clear();
        _packets.Clear();
        _loopStats.Clear();
        _peerStats.Clear();
        _rawStats.Clear();
        _packetBytesUsed = 0;
        NextDeadline = long.MaxValue;
    }
}

/// <summary>Kinds of events the daemon logs; Platform words them as ntpd does.</summary>
public enum NoticeKind
{
    /// <summary>"synchronized to X, stratum N".</summary>
    Synchronized = 1,
    /// <summary>A source became unusable or the daemon lost synchronization ("no servers reachable").</summary>
    SyncLost = 2,
    /// <summary>Something configured that this version does not do yet.</summary>
    NotImplemented = 3,
    /// <summary>Informational, e.g. "time reset +0.315 s".</summary>
    Info = 4,
    /// <summary>Fatal: ntpd logs it and exits (panic threshold exceeded).</summary>
    Fatal = 5,
}

/// <summary>One log-worthy event from the Engine.</summary>
public readonly record struct EngineNotice(NoticeKind Kind, string Text);

/// <summary>What to do to the clock.</summary>
public enum ClockActionKind
{
    /// <summary>Step by Value seconds.</summary>
    Step = 1,
    /// <summary>Slew (phase correction) by Value seconds; TimeConstant for a kernel PLL.</summary>
    Slew = 2,
    /// <summary>Set the frequency correction to Value s/s.</summary>
    SetFrequency = 3,
    /// <summary>Tell the kernel the leap warning to arm (Leap), that the clock is synchronized, and its
    /// estimated error (Value, seconds).</summary>
    SetLeapStatus = 4,
}

/// <summary>One clock action.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Value">Seconds or s/s, by kind.</param>
/// <param name="TimeConstant">For a kernel PLL's phase correction.</param>
/// <param name="Leap">For <see cref="ClockActionKind.SetLeapStatus"/>.</param>
public readonly record struct ClockAction(ClockActionKind Kind, double Value, int TimeConstant = 0, Core.Wire.LeapIndicator Leap = Core.Wire.LeapIndicator.NoWarning);

/// <summary>One loopstats line's values: offset (s), frequency (ppm), clock jitter (s), wander (ppm), time constant.</summary>
public readonly record struct LoopStatsRecord(double Offset, double FrequencyPpm, double Jitter, double WanderPpm, int TimeConstant);

/// <summary>One peerstats line's values: address, peer status word, offset, delay, dispersion, jitter (s).</summary>
public readonly record struct PeerStatsRecord(string Address, ushort Status, double Offset, double Delay, double Dispersion, double Jitter);

/// <summary>One rawstats line's values: the association, its remote address and the exchange.</summary>
public readonly record struct RawStatsRecord(int AssociationId, string Address, Associations.RawExchange Exchange);

/// <summary>A packet queued for an association, as a slice of the actions' buffer.</summary>
public readonly record struct OutgoingPacket(int AssociationId, int Offset, int Length);
