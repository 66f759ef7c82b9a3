// RemoteAssociation: one `server` or `peer` association (RFC 5905 §9 "peer process" and §13 "poll
// process"). It builds requests, keeps the 8-bit reach register, schedules polls (burst and iburst,
// back-off while unreachable, RATE kisses), and turns a valid reply into a ClockSample (§8 on-wire
// protocol). Every reply is checked before any state changes: mode, origin (our transmit cookie,
// so bogus, replayed and spoofed replies and KoDs are dropped), duplicates, then kiss codes.
// With `key N` requests carry a MAC and only replies with a valid MAC by key N count (§7.3).
// Deviation: the transmit timestamp we send is a random cookie, not our clock (as chrony does, for
// data minimization); T1 is kept here and set by the host just before the request is sent.
// A reference clock association (SHM) sends nothing: its driver in the host hands it one reading
// per poll (OnRefclockPoll), which becomes a sample at the fudge stratum and refid.
// For ntpq it also keeps ntpd's `unreach` (polls while the reach register stays empty, transmit())
// and the packet half of `flash` (which checks the last packet from the remote end failed).
// With `xleave` a client names its last exchange (RFC 9769 §2) and a symmetric peer sends when its previous
// packet left (§3), so the server's or peer's send-path delay drops out of the measurement.
// Broadcast modes (RFC 5905 §8, ntpd 4.2.8): a `broadcast` association sends mode 5 with our system
// variables at every 2^minpoll s while we are synchronized and expects nothing; a broadcast client
// association first runs a client volley (iburst) and then only listens (OnBroadcast, measured by
// BroadcastReception); a manycast solicitor sends client requests to a group and takes no samples
// (the engine mobilizes each server that answers).
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.SystemState;

namespace Stratum.Engine.Associations;

/// <summary>Client side of one remote time source.</summary>
public sealed class RemoteAssociation
{
    /// <summary>Packets in a burst (ntpd NTP_BURST... `burst` and `iburst` send eight).</summary>
    public const int BurstLength = 8;

    /// <summary>Seconds between the packets of a burst (ntpd's 2 s).</summary>
    public const int BurstSpacingSeconds = 2;

    /// <summary>Polls without any reply after which the poll interval backs off.</summary>
    private const int UnreachableBackoffPolls = 8;

    private readonly IRandomSource _random;
    private readonly SystemVariables _system;
    private NtpTimestamp _cookie;

    // The transmit time of our packet before the last: a symmetric peer's packet that crossed our last
    // one in flight echoes this (MayEcho).
    private NtpTimestamp _previousCookie;
    private NtpTimestamp _transmitTime;
    private NtpTimestamp _lastReplyTransmit;
    private bool _awaitingReply;

    // Symmetric mode (RFC 5905 §9.1, §8): the peer's last transmit timestamp and when we received it; our
    // next packet carries them as origin and receive, so the peer can match it and measure.
    private NtpTimestamp _peerTransmit;
    private NtpTimestamp _peerReceivedAt;

    // Interleaved symmetric mode (RFC 9769 §3, `xleave` on a peer line): the peer's receive timestamp of our
    // last packet (from its last packet), the receive field we sent last, and when our last packet really left
    // (the host's clock read just before the send). An interleaved packet carries, as origin, the receive field
    // of the other side's last packet and, as transmit, when its previous packet left; so it is recognized by
    // its origin being our last receive field, and measures our last packet (T1, T2) against the peer's
    // previous one (T3, T4 = when it arrived here).
    private NtpTimestamp _peerReceiveField;
    private NtpTimestamp _sentReceiveField;
    private NtpTimestamp _lastSendTime;

    private bool IsInterleavedPeer => IsSymmetric && Settings.Xleave;

    // Whether the peer answers in the interleaved mode, whether our last packet was interleaved and got a valid
    // answer, and how many polls to wait before trying the interleaved mode again after a peer ignored it.
    private bool _peerInterleaves;
    private bool _lastSentInterleaved;
    private bool _answeredLast;
    private int _interleaveHoldPolls;

    /// <summary>Polls an interleaved peer sends basic packets after its interleaved one went unanswered (a peer
    /// without the mode), before it tries again.</summary>
    private const int InterleaveRetryPolls = 8;

    /// <summary>How far below zero an interleaved peer's delay may come (timestamp rounding) and still count.</summary>
    private const double InterleavedDelayTolerance = 1e-6;

    // Interleaved client mode (RFC 9769 §2, `xleave`): the server's receive timestamp of its last reply to us
    // and our arrival time of that reply go out as origin and receive of the next request, with our transmit
    // time of the request it answered kept here. A reply whose origin is that receive field is interleaved:
    // its transmit timestamp is the server's kernel stamp of that last reply, which completes the earlier
    // exchange (T1, T2, T4 named by the request, T3 from the reply).
    private NtpTimestamp _lastServerReceive;
    private NtpTimestamp _lastReplyArrival;
    private NtpTimestamp _lastRequestTransmit;
    private NtpTimestamp _namedServerReceive;
    private NtpTimestamp _namedArrival;
    private NtpTimestamp _namedTransmit;

    private bool IsSymmetric => Settings.Mode == AssociationMode.SymmetricActive;

    // A broadcast client's listening state, or null for other modes; its volley ends with the burst.
    private readonly BroadcastReception? _broadcast;
    private bool _volleyDone;
    private int _burstRemaining;
    private int _pollsWithoutReply;

    /// <param name="id">Association id.</param>
    /// <param name="settings">The config line's options.</param>
    /// <param name="random">Cookies and poll jitter.</param>
    /// <param name="system">Our system variables: a symmetric peer sends them (the peer may select us).</param>
    public RemoteAssociation(int id, RemoteAssociationSettings settings, IRandomSource random, SystemVariables system)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Id = id;
        Settings = settings;
        _random = random;
        _system = system;
        HostPoll = settings.MinPoll;
        // ntpd starts ppoll at maxpoll until the peer tells its own, so ntpq's poll column (the
        // smaller of the two) shows our poll interval for a source not heard from yet.
        PeerPoll = settings.MaxPoll;
        NextPollMono = long.MaxValue;
        if (settings.Mode == AssociationMode.BroadcastClient)
        {
            _broadcast = new BroadcastReception(settings.BroadcastDelay);
            _volleyDone = settings.BroadcastDelay is not null;
        }
    }

    /// <summary>A broadcast client still running its calibration volley (client requests, mode 4 replies).</summary>
    public bool IsCalibrating => _broadcast is not null && !_volleyDone;

    /// <summary>A broadcast client past its volley: it only listens.</summary>
    public bool IsListening => _broadcast is not null && _volleyDone;

    /// <summary>A volley exchange of a broadcast client, its offset referred to the corrected clock (the pending
    /// slew taken off), at monotonic <paramref name="time"/>: the least-delayed one calibrates the delay.</summary>
    internal void RecordVolley(double offset, double delay, double time) => _broadcast?.RecordVolley(offset, delay, time);

    /// <summary>The discipline corrected the clock: the recorded volley offset follows, as the clock filter's samples do.</summary>
    internal void CorrectVolley(double time, double phase, double frequencyChange) => _broadcast?.Correct(time, phase, frequencyChange);

    /// <summary>The one-way delay a broadcast client uses, once known.</summary>
    public double? BroadcastDelay => _broadcast?.Delay;

    /// <summary>A manycast solicitor with enough servers found: it polls without sending.</summary>
    public bool SolicitationSatisfied { get; set; }

    /// <summary>True for an association whose packets are samples of a remote clock (not a broadcast
    /// server's sender nor a manycast solicitor).</summary>
    public bool IsTimeSource => Settings.Mode != AssociationMode.Broadcast && !Settings.IsManycastSolicitor;

    /// <summary>Association id, as ntpq shows it.</summary>
    public int Id { get; }

    public RemoteAssociationSettings Settings { get; }

    /// <summary>8-bit reach register (RFC 5905 §9.2): shifted at each poll, bit 0 set by a valid reply.</summary>
    public byte Reach { get; private set; }

    /// <summary>Our poll exponent (hpoll).</summary>
    public sbyte HostPoll { get; private set; }

    /// <summary>The remote's poll exponent from its last packet (ppoll).</summary>
    public sbyte PeerPoll { get; private set; }

    public long NextPollMono { get; private set; }

    /// <summary>Set by DENY or RSTR: no more requests (RFC 5905 §7.4).</summary>
    public KissCode? StoppedBy { get; private set; }

    /// <summary>Code of the last kiss received with a matching origin, if any.</summary>
    public KissCode? LastKiss { get; private set; }

    /// <summary>The last accepted sample.</summary>
    public ClockSample? LastSample { get; private set; }

    /// <summary>Reference time of the last accepted packet (ntpq's peer reftime).</summary>
    public NtpTimestamp ReferenceTime { get; private set; }

    /// <summary>Replies dropped, by verdict, for ntpq and tests.</summary>
    public long[] DroppedReplies { get; } = new long[Enum.GetValues<ReplyVerdict>().Length];

    public bool IsReachable => Reach != 0;

    /// <summary>ntpd's peer->unreach: counted up at the start of each poll, and back to 0 at a poll
    /// that finds the shifted reach register non-zero (not for pool associations, which ntpd treats
    /// as preemptible) or when selection keeps the source as a survivor (ResetUnreach). Reference
    /// clocks keep 0, as ntpd's refclock_transmit never counts it.</summary>
    public int Unreach { get; private set; }

    /// <summary>TEST1..TEST9 of the last packet from the remote end that reached the checks after the
    /// mode test (ntpd clears them at each such packet): see <see cref="FlashTest"/>.</summary>
    public FlashTest PacketTests { get; private set; }

    /// <summary>Reference clock polls, and those that found no reading (ntpq clockvar poll, noreply).</summary>
    public long RefclockPolls { get; private set; }

    public long RefclockNoReply { get; private set; }

    /// <summary>`enable calibrate`: what the calibration has added to a reference clock's `time1` so far, seconds.</summary>
    public double Calibration { get; internal set; }

    /// <summary>True for a reference clock (no packets: the host delivers samples).</summary>
    public bool IsRefclock => Settings.Mode == AssociationMode.Refclock;

    /// <summary>One poll of a reference clock (ntpd's refclock_receive): the reach register shifts;
    /// with a sample (the driver's offset over the poll and the jitter among its readings) bit 0 is
    /// set and a ClockSample made at the fudge stratum and refid, `fudge time1` added, root delay
    /// and dispersion 0. Without one (no reading, or the clock reports no sync) nothing else changes.</summary>
    public ReplyVerdict OnRefclockPoll(double? offset, double jitter, LeapIndicator leap, sbyte precision, LoopTime now, out ClockSample sample)
    {
        sample = default;
        Reach <<= 1;
        RefclockPolls++;
        if (offset is null)
        {
            RefclockNoReply++;
        }

        RefclockIdentity identity = Settings.Refclock ?? new RefclockIdentity(0, ReferenceId.None, 0);
        if (offset is not double measured || leap == LeapIndicator.Unsynchronized)
        {
            return ReplyVerdict.Unsynchronized;
        }

        Reach |= 1;
        PeerPoll = HostPoll;
        double epsilon = Math.ScaleB(1.0, precision);
        sample = new ClockSample(measured + identity.Time1Seconds + Calibration, epsilon, epsilon + jitter, now.MonoSeconds, leap, identity.Stratum,
            0, 0, identity.ReferenceId, precision, HostPoll);
        LastSample = sample;
        ReferenceTime = now.Real;
        return ReplyVerdict.Accepted;
    }

    /// <summary>Schedules the first poll: at once with iburst, else after a short random delay.</summary>
    public void Start(LoopTime now)
    {
        if (IsRefclock)
        {
            // The host polls a reference clock; nothing is ever sent.
            NextPollMono = long.MaxValue;
            return;
        }

        NextPollMono = now.Mono + (Settings.Iburst ? 0 : (long)(_random.NextUInt64() % (ulong)LoopTime.NanosecondsPerSecond));
        if (IsListening)
        {
            NextPollMono = now.Mono + PollIntervalNanoseconds();
        }
    }

    /// <summary>Sets the poll exponent within minpoll..maxpoll (the discipline's system poll).</summary>
    public void SetPoll(sbyte exponent) => HostPoll = Math.Clamp(exponent, Settings.MinPoll, Settings.MaxPoll);

    /// <summary>When a poll is due, writes the request into <paramref name="packet"/> and returns its
    /// length (48); returns 0 when nothing is due or the association is stopped.</summary>
    public int OnTimer(LoopTime now, Span<byte> packet)
    {
        if (IsRefclock || StoppedBy is not null || now.Mono < NextPollMono)
        {
            return 0;
        }

        if (Settings.Mode == AssociationMode.Broadcast)
        {
            return OnBroadcastTimer(now, packet);
        }

        if (IsListening)
        {
            // Listening: the reach register still shifts at each poll, but nothing is sent.
            BeginPoll();
            _burstRemaining = 0;
            NextPollMono = now.Mono + PollIntervalNanoseconds();
            return 0;
        }

        if (_burstRemaining == 0)
        {
            BeginPoll();
        }

        if (_burstRemaining > 0)
        {
            _burstRemaining--;
        }

        NextPollMono = now.Mono + (_burstRemaining > 0
            ? BurstSpacingSeconds * LoopTime.NanosecondsPerSecond
            : PollIntervalNanoseconds());
        if (IsCalibrating && _burstRemaining == 0)
        {
            // The volley's last request goes out now; its reply still counts. Then the association listens.
            _volleyDone = true;
        }

        if (Settings.IsManycastSolicitor && SolicitationSatisfied)
        {
            return 0;
        }

        PacketsSent++;
        return BuildRequest(now, packet);
    }

    // A broadcast server: one mode 5 packet per 2^minpoll s (never sooner, so clients do not find it early),
    // only while we are synchronized (ntpd's transmit()), with our system variables, no origin or receive
    // timestamp, and the transmit time at which it is built.
    private int OnBroadcastTimer(LoopTime now, Span<byte> packet)
    {
        long interval = (long)Math.ScaleB(1.0, Settings.MinPoll) * LoopTime.NanosecondsPerSecond;
        NextPollMono = now.Mono + interval + (long)(_random.NextUInt64() % (ulong)Math.Max(1, interval / 16));
        HostPoll = Settings.MinPoll;
        if (_system.Leap == LeapIndicator.Unsynchronized)
        {
            return 0;
        }

        var broadcast = new NtpHeader(
            _system.Leap, Settings.Version, NtpMode.Broadcast, _system.WireStratum, Settings.MinPoll, _system.Precision,
            NtpShort.FromSeconds(_system.RootDelay), NtpShort.FromSeconds(_system.RootDispersionAt(now.MonoSeconds)),
            _system.ReferenceId, _system.ReferenceTime, NtpTimestamp.Zero, NtpTimestamp.Zero, now.Real);
        int length = broadcast.Write(packet);
        PacketsSent++;
        if (Key is null)
        {
            return length;
        }

        MacsSigned++;
        return Stratum.Core.Auth.PacketMac.Append(Key, packet, length);
    }

    /// <summary>The trusted key of `key N` that signs requests and must sign replies; null without
    /// `key`, or when key N is not trusted (then every reply fails authentication).</summary>
    public Stratum.Core.Auth.SymmetricKey? Key { get; set; }

    /// <summary>Requests signed and replies whose MAC verified (ntpq authinfo).</summary>
    public long MacsSigned { get; private set; }

    public long MacsVerified { get; private set; }

    /// <summary>Whether the last packet that failed authentication was a crypto-NAK (a 4-byte MAC: the server could
    /// not authenticate our request) rather than a bad or missing digest.</summary>
    public bool LastAuthenticationFailureWasCryptoNak { get; private set; }

    /// <summary>True once a reply's MAC verified with <see cref="Key"/> (ntpq's "auth" status bit).</summary>
    public bool IsAuthentic { get; private set; }

    /// <summary>The last accepted reply's header with our T1 and T4 (rawstats).</summary>
    public RawExchange? LastExchange { get; private set; }

    /// <summary>Requests sent since the association was mobilized.</summary>
    public long PacketsSent { get; private set; }

    /// <summary>Accepted replies that were interleaved (RFC 9769), measured with the server's kernel transmit stamp.</summary>
    public long InterleavedReplies { get; private set; }

    /// <summary>True when the last accepted reply was interleaved.</summary>
    public bool LastReplyInterleaved { get; private set; }

    /// <summary>Polls in a row that went unanswered (a burst is one poll), counted when the next poll
    /// begins and reset by a reply to our request: the host replaces a pool member after ten.</summary>
    public int UnansweredPolls => _pollsWithoutReply;

    /// <summary>Records T1: the host calls this with its clock reading just before sending.</summary>
    /// <remarks>In basic symmetric mode the packet itself carries T1 (the peer uses it), so it is kept as built;
    /// an interleaved peer keeps this reading and sends it in its next packet.</remarks>
    public void MarkSent(NtpTimestamp transmitTime)
    {
        if (!IsSymmetric)
        {
            _transmitTime = transmitTime;
        }
        else if (IsInterleavedPeer)
        {
            _lastSendTime = transmitTime;
        }
    }

    /// <summary>Checks a datagram from the remote end and, when valid, produces a sample.</summary>
    /// <param name="data">The datagram.</param>
    /// <param name="receiveTime">T4 on the disciplined clock.</param>
    /// <param name="monoSeconds">Monotonic now.</param>
    /// <param name="localPrecision">Our clock's precision exponent.</param>
    /// <param name="sample">The measurement when the verdict is Accepted.</param>
    public ReplyVerdict OnReply(ReadOnlySpan<byte> data, NtpTimestamp receiveTime, double monoSeconds, sbyte localPrecision, out ClockSample sample)
    {
        ReplyVerdict verdict = Check(data, receiveTime, monoSeconds, localPrecision, out sample);
        if (verdict != ReplyVerdict.Accepted)
        {
            DroppedReplies[(int)verdict]++;
        }

        return verdict;
    }

    private ReplyVerdict Check(ReadOnlySpan<byte> data, NtpTimestamp receiveTime, double monoSeconds, sbyte localPrecision, out ClockSample sample)
    {
        sample = default;
        if (StoppedBy is not null)
        {
            return ReplyVerdict.Stopped;
        }

        if (!NtpPacket.TryRead(data, out NtpPacket packet, out _))
        {
            return ReplyVerdict.Malformed;
        }

        NtpHeader header = packet.Header;
        bool modeFits = Settings.Mode is AssociationMode.Client or AssociationMode.BroadcastClient
            ? header.Mode == NtpMode.Server
            : header.Mode is NtpMode.SymmetricActive or NtpMode.SymmetricPassive;
        if (!modeFits)
        {
            return ReplyVerdict.WrongMode;
        }

        // ntpd's receive() clears the packet tests of each packet that reaches the association.
        PacketTests = FlashTest.None;
        if (!header.TransmitTime.IsZero && header.TransmitTime == _lastReplyTransmit)
        {
            PacketTests = FlashTest.Duplicate;
            return ReplyVerdict.Duplicate;
        }

        if (!PassesKeyCheck(packet))
        {
            return ReplyVerdict.AuthenticationFailed;
        }

        bool interleaved = _awaitingReply && !IsSymmetric && !_namedArrival.IsZero && header.OriginTime == _namedArrival;
        bool basicAnswer = _awaitingReply && header.OriginTime == _cookie;
        bool interleavedPeer = IsInterleavedPeer && _awaitingReply && !basicAnswer && !_sentReceiveField.IsZero && header.OriginTime == _sentReceiveField;
        bool answersOurs = basicAnswer || interleaved || interleavedPeer;

        // The peer's previous packet arrived here at this time: T4 of an interleaved peer's measurement.
        NtpTimestamp previousPeerArrival = _peerReceivedAt;
        if (IsSymmetric && !header.TransmitTime.IsZero && header.TransmitTime != _peerTransmit && MayEcho(header.OriginTime, answersOurs))
        {
            // The peer's packet is the one our next packet must echo (RFC 5905 §9.2: org and rec).
            _peerTransmit = header.TransmitTime;
            _peerReceivedAt = receiveTime;
            _peerReceiveField = header.ReceiveTime;
        }

        if (!answersOurs)
        {
            PacketTests = FlashTest.Bogus;
            return ReplyVerdict.BogusOrigin;
        }

        // From here on the reply answers our request: state may change.
        _awaitingReply = false;
        _lastReplyTransmit = header.TransmitTime;
        if (Settings.Xleave && !IsSymmetric)
        {
            // This exchange is the one the next request names, whatever this reply turns out to be worth.
            _lastServerReceive = header.ReceiveTime;
            _lastReplyArrival = receiveTime;
            _lastRequestTransmit = _transmitTime;
        }

        PeerPoll = header.Poll;
        if (header.Stratum == 0 && header.ReferenceId.IsAsciiName)
        {
            return OnKiss(new KissCode(header.ReferenceId));
        }

        bool serverUnsynchronized = header.Leap == LeapIndicator.Unsynchronized || header.Stratum >= SystemVariables.UnsynchronizedStratum
            || header.Stratum == 0;
        bool protocolUnsynchronized = header.ReceiveTime.IsZero || header.TransmitTime.IsZero;
        if (serverUnsynchronized || protocolUnsynchronized)
        {
            // ntpd: TEST6 for the leap/stratum, TEST3 for a zero timestamp; both can be lit. Such a
            // reply does not make the server reachable (ntpd returns before setting the reach bit),
            // so a server that never synchronizes stays unreachable, as ntpq shows it under ntpd.
            PacketTests = (serverUnsynchronized ? FlashTest.Stratum : FlashTest.None)
                | (protocolUnsynchronized ? FlashTest.Unsynchronized : FlashTest.None);
            return ReplyVerdict.Unsynchronized;
        }

        // RFC 5905 §8: T1 our transmit, T2 their receive, T3 their transmit, T4 our receive; in an interleaved
        // reply T3 belongs to the exchange the request named, so T1, T2 and T4 are that exchange's. An interleaved
        // peer's packet measures our last packet (T1 when it left, T2) against the peer's previous one (T3, T4).
        // A basic answer to an interleaved peer is measured from when our packet really left.
        NtpTimestamp t1 = interleaved ? _namedTransmit : IsInterleavedPeer && !_lastSendTime.IsZero ? _lastSendTime : _transmitTime;
        NtpTimestamp t2 = interleaved ? _namedServerReceive : header.ReceiveTime;
        NtpTimestamp t4 = interleaved ? _namedArrival : interleavedPeer ? previousPeerArrival : receiveTime;
        double t2MinusT1 = (t2 - t1).TotalSeconds;
        double t3MinusT4 = (header.TransmitTime - t4).TotalSeconds;
        double roundTrip = (t4 - t1).TotalSeconds;
        double serverTime = (header.TransmitTime - t2).TotalSeconds;
        double pairDelay = roundTrip - serverTime;
        if (interleavedPeer && (previousPeerArrival.IsZero || serverTime >= 0 || pairDelay < -InterleavedDelayTolerance
            || pairDelay > Math.ScaleB(0.5, Math.Min(HostPoll, header.Poll))))
        {
            // RFC 9769 §3: the peer's previous packet must have left before our last one arrived there, and the
            // delay must be positive and fit in half a poll interval; otherwise a packet was lost or crossed (the
            // pair is then a poll interval apart) and the pair is not an exchange. The packet still sets what our
            // next one echoes.
            PacketTests = FlashTest.Bogus;
            return ReplyVerdict.BogusOrigin;
        }

        Reach |= 1;
        _pollsWithoutReply = 0;
        _answeredLast = true;
        _peerInterleaves = interleavedPeer || (_peerInterleaves && !basicAnswer);
        bool interleavedSample = interleaved || interleavedPeer;
        LastReplyInterleaved = interleavedSample;
        if (interleavedSample)
        {
            InterleavedReplies++;
        }

        double offset = (t2MinusT1 + t3MinusT4) / 2;
        double delay = Math.Max(roundTrip - serverTime, Math.ScaleB(1.0, localPrecision));
        double dispersion = Math.ScaleB(1.0, localPrecision) + Math.ScaleB(1.0, header.Precision)
            + (SystemVariables.FrequencyTolerance * Math.Abs(roundTrip));
        sample = new ClockSample(offset, delay, dispersion, monoSeconds, header.Leap, header.Stratum,
            header.RootDelay.TotalSeconds, header.RootDispersion.TotalSeconds, header.ReferenceId, header.Precision, header.Poll);
        LastSample = sample;
        ReferenceTime = header.ReferenceTime;
        LastExchange = new RawExchange(interleaved ? header with { ReceiveTime = t2 } : header, t1, t4);
        return ReplyVerdict.Accepted;
    }

    /// <summary>A mode 5 packet from this broadcast client association's server (RFC 5905 §8 broadcast mode):
    /// checked as a reply is (duplicate, `key`, synchronized), then against the server's interval and
    /// `tos bcpollbstep` (BroadcastReception), and measured with the calibrated delay. While the volley
    /// runs a broadcast is only noted.</summary>
    public ReplyVerdict OnBroadcast(ReadOnlySpan<byte> data, NtpTimestamp receiveTime, double monoSeconds, sbyte localPrecision, int backstepPolls,
        out ClockSample sample, double pendingSlew = 0)
    {
        ReplyVerdict verdict = CheckBroadcast(data, receiveTime, monoSeconds, localPrecision, backstepPolls, pendingSlew, out sample);
        if (verdict != ReplyVerdict.Accepted)
        {
            DroppedReplies[(int)verdict]++;
        }

        return verdict;
    }

    private ReplyVerdict CheckBroadcast(ReadOnlySpan<byte> data, NtpTimestamp receiveTime, double monoSeconds, sbyte localPrecision, int backstepPolls,
        double pendingSlew, out ClockSample sample)
    {
        sample = default;
        if (_broadcast is null)
        {
            return ReplyVerdict.WrongMode;
        }

        if (!NtpPacket.TryRead(data, out NtpPacket packet, out _))
        {
            return ReplyVerdict.Malformed;
        }

        NtpHeader header = packet.Header;
        if (header.Mode != NtpMode.Broadcast)
        {
            return ReplyVerdict.WrongMode;
        }

        PacketTests = FlashTest.None;
        if (header.TransmitTime.IsZero || header.TransmitTime == _lastReplyTransmit)
        {
            PacketTests = FlashTest.Duplicate;
            return ReplyVerdict.Duplicate;
        }

        if (!PassesKeyCheck(packet))
        {
            return ReplyVerdict.AuthenticationFailed;
        }

        _lastReplyTransmit = header.TransmitTime;
        PeerPoll = header.Poll;
        if (header.Leap == LeapIndicator.Unsynchronized || header.Stratum == 0 || header.Stratum >= SystemVariables.UnsynchronizedStratum)
        {
            PacketTests = FlashTest.Stratum;
            return ReplyVerdict.Unsynchronized;
        }

        if (IsCalibrating)
        {
            _broadcast.NoteArrival(header.TransmitTime, monoSeconds);
            return ReplyVerdict.Calibrating;
        }

        ReplyVerdict admitted = _broadcast.Admit(header.TransmitTime, header.Poll, monoSeconds, backstepPolls);
        if (admitted != ReplyVerdict.Accepted)
        {
            return admitted;
        }

        Reach |= 1;
        _pollsWithoutReply = 0;
        (double offset, double delay) = _broadcast.Measure(header.TransmitTime, receiveTime, pendingSlew);
        double dispersion = Math.ScaleB(1.0, localPrecision) + Math.ScaleB(1.0, header.Precision) + (SystemVariables.FrequencyTolerance * delay);
        sample = new ClockSample(offset, Math.Max(delay, Math.ScaleB(1.0, localPrecision)), dispersion, monoSeconds, header.Leap, header.Stratum,
            header.RootDelay.TotalSeconds, header.RootDispersion.TotalSeconds, header.ReferenceId, header.Precision, header.Poll);
        LastSample = sample;
        ReferenceTime = header.ReferenceTime;
        LastExchange = new RawExchange(header, NtpTimestamp.Zero, receiveTime);
        return ReplyVerdict.Accepted;
    }

    /// <summary>True when <paramref name="header"/> answers this manycast solicitor's last request (its origin is
    /// our cookie): any number of servers may answer one request.</summary>
    public bool AnswersSolicitation(in NtpHeader header) =>
        Settings.IsManycastSolicitor && !_cookie.IsZero && header.Mode == NtpMode.Server && header.OriginTime == _cookie;

    // An interleaved peer sends interleaved while the peer answers so, and otherwise tries it after a valid
    // exchange (a peer that ignores it, having no such mode, is left alone for a few polls: its answers fail).
    private bool ChooseInterleaved()
    {
        if (_lastSentInterleaved && !_answeredLast && !_peerInterleaves)
        {
            _interleaveHoldPolls = InterleaveRetryPolls;
        }
        else if (_interleaveHoldPolls > 0)
        {
            _interleaveHoldPolls--;
        }

        bool interleave = _peerInterleaves || (_answeredLast && _interleaveHoldPolls == 0);
        _lastSentInterleaved = interleave;
        _answeredLast = false;
        return interleave;
    }

    // RFC 5905 §7.3: with a key configured, only a packet signed by it counts (ntpd's TEST5); a crypto-NAK or a bad
    // MAC changes nothing, not even what a symmetric peer echoes, and leaves the request outstanding, as if no packet
    // had come. Without a key every packet passes.
    private bool PassesKeyCheck(in NtpPacket packet)
    {
        if (Settings.KeyId is null)
        {
            return true;
        }

        IsAuthentic = Key is not null && Stratum.Core.Auth.PacketMac.Verify(Key, packet);
        LastAuthenticationFailureWasCryptoNak = !IsAuthentic && packet.HasMac && packet.Mac.IsCryptoNak;
        if (!IsAuthentic)
        {
            PacketTests = FlashTest.Authentication;
            return false;
        }

        MacsVerified++;
        return true;
    }

    /// <summary>Whether a symmetric peer's packet may set what our next packet echoes.</summary>
    /// <remarks>
    /// RFC 5905's receive() takes every packet's transmit time as the next origin, so a blind spoofer who
    /// knows only the peer's address can make our next packet echo a time the peer never sent: the peer
    /// then finds it bogus and the pair never synchronize (the CVE-2016-1548 and CVE-2016-4954 class). A
    /// signed packet (its MAC was checked before) is the peer's; an unsigned one must show it saw one of our
    /// last two packets (their origin: two, because both ends poll on their own and packets cross), or,
    /// while no exchange has succeeded yet (reach 0), may carry a zero origin: the peer's first packet.
    /// </remarks>
    private bool MayEcho(NtpTimestamp origin, bool answersOurs) =>
        Settings.KeyId is not null
        || answersOurs
        || (!origin.IsZero && (origin == _cookie || origin == _previousCookie))
        || (origin.IsZero && Reach == 0);

    private ReplyVerdict OnKiss(KissCode kiss)
    {
        LastKiss = kiss;
        if (kiss.StopsAssociation)
        {
            StoppedBy = kiss;
            NextPollMono = long.MaxValue;
        }
        else if (kiss.ReducesRate)
        {
            _burstRemaining = 0;
            HostPoll = (sbyte)Math.Min(Math.Max(HostPoll + 1, PeerPoll), PollExponent.MaxConfigurable);
        }

        return ReplyVerdict.KissOfDeath;
    }

    private void BeginPoll()
    {
        if (_awaitingReply)
        {
            _pollsWithoutReply++;
        }

        Reach <<= 1;
        Unreach++;
        if (Reach != 0 && Settings.Pool is null)
        {
            // ntpd's transmit(): reachable at this poll, so the count starts again (pool: only as a survivor).
            Unreach = 0;
        }

        // A manycast solicitor's reach never rises (no reply is its own): one request per poll, as ntpd sends.
        bool burst = !Settings.IsManycastSolicitor && (Reach == 0 ? Settings.Iburst : Settings.Burst);
        _burstRemaining = burst ? BurstLength : 1;
        if (Reach == 0 && _pollsWithoutReply >= UnreachableBackoffPolls && HostPoll < Settings.MaxPoll)
        {
            // Unreachable: back off toward maxpoll so a dead server is not hammered.
            HostPoll++;
            _burstRemaining = 1;
        }
    }

    /// <summary>Selection kept this source as a survivor: ntpd's clock_select sets unreach to 0.</summary>
    internal void ResetUnreach() => Unreach = 0;

    private long PollIntervalNanoseconds()
    {
        // Up to 1/16 of random jitter so that many clients do not poll in lockstep.
        long interval = (long)Math.ScaleB(1.0, HostPoll) * LoopTime.NanosecondsPerSecond;
        return interval - (long)(_random.NextUInt64() % (ulong)Math.Max(1, interval / 16));
    }

    private int BuildRequest(LoopTime now, Span<byte> packet)
    {
        // A client sends a random cookie as its transmit timestamp (the server only echoes it, and an
        // off-path attacker cannot guess it); a symmetric peer needs our real transmit time as its T3.
        _previousCookie = _cookie;
        // An interleaved peer sends, as transmit, when its previous packet left and, as origin, the peer's receive
        // timestamp of it (RFC 9769 §3), once it has both; until then it sends basic packets.
        bool interleavePeer = IsInterleavedPeer && !_lastSendTime.IsZero && !_peerReceiveField.IsZero && !_peerReceivedAt.IsZero
            && ChooseInterleaved();
        _cookie = interleavePeer ? _lastSendTime : IsSymmetric ? now.Real : new NtpTimestamp(_random.NextUInt64());
        _transmitTime = now.Real;
        _sentReceiveField = _peerReceivedAt;
        _awaitingReply = true;
        bool interleave = Settings.Xleave && !IsSymmetric && !_lastServerReceive.IsZero;
        _namedServerReceive = interleave ? _lastServerReceive : NtpTimestamp.Zero;
        _namedArrival = interleave ? _lastReplyArrival : NtpTimestamp.Zero;
        _namedTransmit = interleave ? _lastRequestTransmit : NtpTimestamp.Zero;
        // A client request carries nothing about us (RFC 5905 §9.2 minimal client; RFC 9109 spirit);
        // a symmetric peer sends its system variables so the other side can select it.
        bool peer = Settings.Mode == AssociationMode.SymmetricActive;
        var request = new NtpHeader(
            peer ? _system.Leap : LeapIndicator.Unsynchronized,
            Settings.Version,
            peer ? NtpMode.SymmetricActive : NtpMode.Client,
            peer ? _system.WireStratum : (byte)0,
            HostPoll,
            peer ? _system.Precision : (sbyte)0,
            peer ? NtpShort.FromSeconds(_system.RootDelay) : NtpShort.Zero,
            peer ? NtpShort.FromSeconds(_system.RootDispersionAt(now.MonoSeconds)) : NtpShort.Zero,
            peer ? _system.ReferenceId : ReferenceId.None,
            peer ? _system.ReferenceTime : NtpTimestamp.Zero,
            peer ? (interleavePeer ? _peerReceiveField : _peerTransmit) : _namedServerReceive,
            peer ? _peerReceivedAt : _namedArrival,
            _cookie);
        int length = request.Write(packet);
        if (Key is null)
        {
            return length;
        }

        MacsSigned++;
        return Stratum.Core.Auth.PacketMac.Append(Key, packet, length);
    }
}
