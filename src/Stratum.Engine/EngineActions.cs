// EngineActions: the caller-owned buffer the Engine writes its decisions into (ARCHITECTURE.md §3):
// log notices, clock actions (step, slew, frequency, status), packets to send (an association's
// request to its remote end, or a control answer to the sender of the datagram being handled),
// association sockets to open or close, host names to resolve, statistics records (protostats
// among them: one per protocol event), a drift file
// save, and the next timer deadline. One executor in Platform carries them out after each Engine
// call, for the daemon and the simulator alike. Packets are copied into one reusable byte buffer,
// so polling allocates nothing once the buffer has grown; the other kinds are rare events.
using System.Net;
using System.Net.Sockets;

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
    private readonly List<ProtoStatsRecord> _protoStats = [];
    private readonly List<OutgoingPacket> _answers = [];
    private readonly List<SocketAction> _sockets = [];
    private readonly List<ResolveRequest> _resolves = [];
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

    /// <summary>protostats lines to write: one per protocol event reported, in order.</summary>
    public IReadOnlyList<ProtoStatsRecord> ProtoStats => _protoStats;

    public void RecordProto(in ProtoStatsRecord record) => _protoStats.Add(record);

    /// <summary>Monotonic deadline (ns) of the next OnTimer call; long.MaxValue when none. After
    /// OnDatagram it is the engine's earliest deadline when the datagram went to the control
    /// responder or an association (the host wakes its timer early when it moved forward), and
    /// long.MaxValue after a time request (the armed deadline still holds).</summary>
    public long NextDeadline { get; set; } = long.MaxValue;

    /// <summary>Answers (mode 6 and 7) to the sender of the datagram being handled, from the socket it
    /// came in on, in order.</summary>
    public IReadOnlyList<OutgoingPacket> Answers => _answers;

    /// <summary>Association sockets to open or close, in order (before any packet is sent).</summary>
    public IReadOnlyList<SocketAction> Sockets => _sockets;

    /// <summary>Host names to look up (`server NAME`, `pool NAME`); the answers come back through
    /// NtpEngine.OnResolved with the same token.</summary>
    public IReadOnlyList<ResolveRequest> Resolves => _resolves;

    /// <summary>A sysstats line to write (hourly), or null.</summary>
    public SysStatsRecord? SysStats { get; private set; }

    /// <summary>A frequency (s/s) to write to the drift file, or null.</summary>
    public double? DriftFrequency { get; private set; }

    /// <summary>Queues an answer to the sender of the datagram being handled.</summary>
    public void Answer(ReadOnlySpan<byte> datagram) => _answers.Add(Append(0, datagram));

    /// <summary>Asks the host to open association <paramref name="associationId"/>'s own socket toward
    /// <paramref name="remote"/>: a kernel-chosen ephemeral port (RFC 9109) for a client association;
    /// with <paramref name="fromNtpPort"/> (a symmetric peer, which must send from port 123 and whose
    /// packets arrive there) the host sends through its server socket instead.</summary>
    public void OpenSocket(int associationId, IPEndPoint remote, string name, bool fromNtpPort = false) =>
        OpenSocket(associationId, remote, name, new AssociationSocketOptions(fromNtpPort, false, null));

    /// <summary>Asks the host to open association <paramref name="associationId"/>'s socket with <paramref name="options"/>
    /// (a broadcast server or manycast solicitor sends to a broadcast address or multicast group).</summary>
    public void OpenSocket(int associationId, IPEndPoint remote, string name, AssociationSocketOptions options) =>
        _sockets.Add(new SocketAction(SocketActionKind.Open, associationId, remote, name) { Options = options });

    /// <summary>Asks the host to close association <paramref name="associationId"/>'s socket.</summary>
    public void CloseSocket(int associationId) =>
        _sockets.Add(new SocketAction(SocketActionKind.Close, associationId, null, null));

    /// <summary>Asks the host to look <paramref name="name"/> up off the loop.</summary>
    public void Resolve(int token, string name, AddressFamily family) => _resolves.Add(new ResolveRequest(token, name, family));

    /// <summary>Queues the hourly sysstats line.</summary>
    public void RecordSystem(in SysStatsRecord record) => SysStats = record;

    /// <summary>Asks the host to write <paramref name="frequency"/> (s/s) to the drift file.</summary>
    public void SaveDriftFile(double frequency) => DriftFrequency = frequency;

    public void Notice(NoticeKind kind, string text) => _notices.Add(new EngineNotice(kind, text));

    public void Clock(ClockAction action) => _clockActions.Add(action);

    /// <summary>Queues <paramref name="packet"/> for association <paramref name="associationId"/>.</summary>
    public void Send(int associationId, ReadOnlySpan<byte> packet) => _packets.Add(Append(associationId, packet));

    private OutgoingPacket Append(int associationId, ReadOnlySpan<byte> packet)
    {
        if (_packetBytesUsed + packet.Length > _packetBytes.Length)
        {
            Array.Resize(ref _packetBytes, Math.Max(_packetBytes.Length * 2, _packetBytesUsed + packet.Length));
        }

        packet.CopyTo(_packetBytes.AsSpan(_packetBytesUsed));
        var queued = new OutgoingPacket(associationId, _packetBytesUsed, packet.Length);
        _packetBytesUsed += packet.Length;
        return queued;
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
        _protoStats.Clear();
        _answers.Clear();
        _sockets.Clear();
        _resolves.Clear();
        SysStats = null;
        DriftFrequency = null;
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

/// <summary>One protostats line's values: the address ("0.0.0.0" for a system event), the status word
/// after the event was counted, the event's code (0x80 set for an association's) and its text (the
/// event's name, then any detail, e.g. "clock_step +0.315000 s").</summary>
public readonly record struct ProtoStatsRecord(string Address, ushort Status, byte Code, string Text);

/// <summary>One sysstats line's values (ntpd's record_sys_stats): seconds since the counters were
/// reset, then received, replied (processed), current version, older version, restricted, bad length
/// or format, authentication failures (crypto-NAKs), declined, rate limited and KoD responses.</summary>
public readonly record struct SysStatsRecord(long SinceReset, long Received, long Replied, long CurrentVersion, long OlderVersion,
    long Restricted, long Malformed, long CryptoNaks, long Declined, long RateLimited, long KodSent)
{
    /// <summary>The line's values from the time server's counters.</summary>
    public static SysStatsRecord From(long sinceReset, Server.ServerCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        return new(sinceReset, counters.Received, counters.Replied, counters.CurrentVersion, counters.OlderVersion, counters.Restricted,
            counters.DroppedMalformed, counters.CryptoNaks, counters.Declined, counters.RateLimited, counters.KodSent);
    }
}

/// <summary>A packet queued for an association (or, AssociationId 0, an answer to the sender of the
/// datagram being handled), as a slice of the actions' buffer.</summary>
public readonly record struct OutgoingPacket(int AssociationId, int Offset, int Length);

/// <summary>Open or close an association's socket.</summary>
public enum SocketActionKind
{
    Open = 1,
    Close = 2,
}

/// <summary>An association socket to open (toward <paramref name="Remote"/>, named <paramref name="Name"/>
/// in messages) or close.</summary>
public readonly record struct SocketAction(SocketActionKind Kind, int AssociationId, IPEndPoint? Remote, string? Name)
{
    /// <summary>How the socket sends.</summary>
    public AssociationSocketOptions Options { get; init; }

    /// <summary>Send from the server's NTP port (a symmetric peer, a broadcast server), not an ephemeral one.</summary>
    public bool FromNtpPort => Options.FromNtpPort;
}

/// <summary>How an association's socket sends: from the server's NTP port (<paramref name="FromNtpPort"/>: a
/// symmetric peer, a broadcast server), to a broadcast address or multicast group (<paramref name="ToGroup"/>:
/// SO_BROADCAST, the multicast interface), with a multicast time-to-live (<paramref name="Ttl"/>, null for the
/// default).</summary>
public readonly record struct AssociationSocketOptions(bool FromNtpPort, bool ToGroup, byte? Ttl);

/// <summary>A host name to resolve: <paramref name="Family"/> InterNetwork or InterNetworkV6 for -4/-6,
/// else Unspecified; <paramref name="Token"/> comes back with the answer.</summary>
public readonly record struct ResolveRequest(int Token, string Name, AddressFamily Family);
