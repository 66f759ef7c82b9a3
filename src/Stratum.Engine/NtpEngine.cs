// NtpEngine: the daemon's decisions, free of I/O (ARCHITECTURE.md §3), behind one entry point per
// event: Start, OnListening (the host's sockets are bound), OnDatagram (any datagram on any socket),
// OnTimer (the deadline it last returned has come), OnResolved (a host name lookup finished),
// OnRefclockPoll (a reference clock driver's reading) and Stop. Each writes what to do into the
// caller's EngineActions, which one executor in Platform carries out for the daemon and the
// simulator alike.
// OnDatagram splits by socket and NTP mode: on a server socket modes 6 and 7 pass the query gate
// (restrict, rate limit) to the control responders, a configured peer's symmetric packet goes to
// its association, and everything else is the stateless time server's (written into the caller's
// reply buffer, allocation-free); on an association socket only a datagram from that association's
// server, and not from an `ignore` or `noserve` source, reaches it. OnTimer sends due polls, polls
// the local clock driver, runs orphan mode, asks for host name lookups and keeps pools populated
// (NameMobilizer), demobilizes ephemeral associations that timed out, and says when the drift file and
// the sysstats line are due (hourly); it returns the next deadline.
// Broadcast and manycast (ntpd 4.2.8): a broadcast (mode 5) on a server or group socket goes to the
// broadcast client association of its server, or mobilizes one (CastMobilizer); a client request on a
// group socket is answered only by a synchronized manycast server; a server's answer on a manycast
// solicitor's socket mobilizes a client association for that server. A local clock with a sample becomes the system peer when no remote source is
// selected, and the system then serves stratum = its stratum + 1 (RFC 5905 §11.2.2 clock_update).
// Time comes in only as LoopTime; the clock driver's pending slew is read through the datagram's
// IPendingSlewSource only when a sample is processed.
using System.Net;
using Stratum.Core.Config;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine.Access;
using Stratum.Engine.Associations;
using Stratum.Engine.Control;
using Stratum.Engine.Discipline;
using Stratum.Engine.Server;
using Stratum.Engine.SystemState;

namespace Stratum.Engine;

/// <summary>Deterministic core of ntpd: call from the event loop thread only.</summary>
public sealed class NtpEngine
{
    /// <summary>NTP mode 7: ntpd's private (ntpdc) protocol.</summary>
    private const byte PrivateMode = 7;

    private readonly EngineConfiguration _configuration;
    private readonly List<LocalClockSource> _localClocks = [];
    private LocalClockSource? _systemPeer;
    private readonly OrphanMode? _orphan;
    private readonly LeapSmear? _leapSmear;
    private readonly AssociationDirectory _directory = new();
    private readonly HourlySchedule _driftSchedule = new();
    private readonly HourlySchedule _sysStatsSchedule = new();
    private NameMobilizer? _names;
    private long _namesNextMono = long.MaxValue;
    private readonly CastMobilizer _cast;

    // Which manycast solicitor mobilized each of its servers' associations.
    private readonly Dictionary<int, int> _manycastParents = [];

    /// <param name="configuration">What to run.</param>
    /// <param name="precision">The measured clock precision exponent.</param>
    /// <param name="random">Cookies and poll jitter for remote associations (a CSPRNG in ntpd).</param>
    public NtpEngine(EngineConfiguration configuration, sbyte precision, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _configuration = configuration;
        System = new SystemVariables(precision);
        Server = new ServerResponder(System, CreateAccessControl(configuration, random)) { Keys = configuration.Keys ?? Access.KeyRing.Empty };
        Control = new ControlResponder(this, random) { ControlKey = configuration.ControlKey };
        foreach (LocalClockSettings settings in configuration.LocalClocks)
        {
            _localClocks.Add(new LocalClockSource(settings, precision));
        }

        var remotes = new List<(int, RemoteAssociationSettings)>();
        foreach (RemoteAssociationSettings remote in configuration.RemoteAssociations ?? [])
        {
            remotes.Add((_localClocks.Count + remotes.Count + 1, remote));
        }

        if (remotes.Count > 0 && random is null)
        {
            throw new ArgumentNullException(nameof(random), "remote associations need a random source");
        }

        _cast = new CastMobilizer(configuration.Casting, configuration.Keys ?? Access.KeyRing.Empty);
        if (random is null && (configuration.Casting.BroadcastClient || (configuration.RemoteAssociations?.Any(static r => r.IsManycastSolicitor) ?? false)))
        {
            throw new ArgumentNullException(nameof(random), "broadcast and manycast clients need a random source");
        }

        _orphan = configuration.Orphan is { } orphan ? new OrphanMode(orphan) : null;
        _leapSmear = configuration.LeapSmearInterval > 0 ? new LeapSmear(configuration.LeapSmearInterval) : null;
        System.LeapSmearInterval = configuration.LeapSmearInterval;
        Sources = new SourceManager(remotes, System, random ?? NoRandom.Instance, precision,
            configuration.Selection ?? Selection.SelectionParameters.Default,
            configuration.Discipline ?? Discipline.DisciplineParameters.Default,
            configuration.DriftFrequency, configuration.DisciplineEnabled, configuration.Keys)
        {
            AssociationLocalEndpoints = Control.Host.AssociationSockets,
            BroadcastBackstepPolls = configuration.Casting.BackstepPolls,
            CalibrateRefclocks = configuration.CalibrateRefclocks,
        };
        if (configuration.PendingNames is { Count: > 0 } names)
        {
            _names = new NameMobilizer(names, configuration.MaxClock);
        }
    }

    /// <summary>Remote servers and peers: polling, filter, selection, discipline.</summary>
    public SourceManager Sources { get; }

    public SystemVariables System { get; }

    public ServerResponder Server { get; }

    public IReadOnlyList<LocalClockSource> LocalClocks => _localClocks;

    /// <summary>Answers mode 6 control queries (ntpq) from this engine's state.</summary>
    public ControlResponder Control { get; }

    /// <summary>The local clock the system is synchronized to, or null.</summary>
    public LocalClockSource? SystemPeer => _systemPeer;

    /// <summary>`server NAME` / `pool NAME` lines resolved at run time, or null when there are none.</summary>
    public NameMobilizer? Names => _names;

    /// <summary>The broadcast and manycast mobilization rules and their counters.</summary>
    public CastMobilizer Casting => _cast;

    public void Start(LoopTime now, EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        Control.MarkStarted(now);
        foreach (string association in _configuration.UnsupportedAssociations)
        {
            actions.Notice(NoticeKind.NotImplemented, $"{association}: remote time sources are not implemented yet; association not mobilized");
        }

        foreach (LocalClockSource clock in _localClocks)
        {
            clock.Start(now);
        }

        Sources.Start(now);
        Sources.ReportStart(actions);
        if (_configuration.DisciplineEnabled && _configuration.DriftFrequency is not null)
        {
            // The drift file's frequency goes to the clock at once, as ntpd does, not at the first update.
            actions.Clock(new ClockAction(ClockActionKind.SetFrequency, Sources.Discipline.Frequency));
        }

        if (_configuration.KeepDriftFile)
        {
            _driftSchedule.Start(now);
        }

        if (_configuration.WriteSysStats)
        {
            _sysStatsSchedule.Start(now);
        }

        RunNames(now, actions);
        actions.NextDeadline = Deadline(now);
    }

    /// <summary>The host has bound its listening sockets (<paramref name="listening"/>, wildcards included)
    /// and knows this machine's addresses (<paramref name="hostAddresses"/>): our own listening addresses
    /// become ntpd's "ignore, ntpport" entries (accopt.html), so the daemon never answers itself; every
    /// host address is a refid a source synchronized to us would show (timing-loop detection); and every
    /// network association asks for its socket.</summary>
    public void OnListening(IReadOnlyList<IPEndPoint> listening, IEnumerable<IPAddress> hostAddresses, EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(listening);
        ArgumentNullException.ThrowIfNull(hostAddresses);
        ArgumentNullException.ThrowIfNull(actions);
        var own = new List<ClientAddress>();
        foreach (IPEndPoint endpoint in listening)
        {
            if (!endpoint.Address.Equals(IPAddress.Any) && !endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                own.Add(ClientAddress.From(endpoint.Address));
            }
        }

        Server.Access?.SetInterfaceAddresses(own);
        var refids = new HashSet<ReferenceId>();
        foreach (IPAddress address in hostAddresses)
        {
            refids.Add(ReferenceId.FromAddress(address));
        }

        // An address we listen on need not be an interface's (any 127.0.0.0/8 address on lo): a peer
        // synchronized to us through it shows it as refid all the same.
        foreach (ClientAddress address in own)
        {
            refids.Add(ReferenceId.FromAddress(address.ToIPAddress()));
        }

        Sources.LocalReferenceIds = refids;
        foreach (RemoteSource source in Sources.Sources)
        {
            OpenSocket(source, actions);
        }
    }

    /// <summary>One datagram from any of the host's sockets (see the file header for the routing).
    /// A time reply or KoD is written into <paramref name="reply"/> (at least 68 bytes); answers to
    /// queries and everything an association decides go into <paramref name="actions"/>. The time
    /// server path allocates nothing.</summary>
    public DatagramResult OnDatagram(in DatagramContext datagram, Span<byte> reply, EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        return datagram.Socket switch
        {
            SocketKind.Association => OnAssociationDatagram(datagram, actions),
            SocketKind.Group => OnGroupDatagram(datagram, reply, actions),
            _ => OnServerDatagram(datagram, reply, actions),
        };
    }

    /// <summary>Packets from configured symmetric peers dropped by their source's restrict entry.</summary>
    public long PeerPacketsRestricted { get; private set; }

    private DatagramResult OnServerDatagram(in DatagramContext datagram, Span<byte> reply, EngineActions actions)
    {
        Control.Host.Received++;
        ReadOnlySpan<byte> request = datagram.Data;
        int mode = request.IsEmpty ? -1 : request[0] & 0x07;
        if (mode is (int)NtpMode.Control or PrivateMode)
        {
            // restrict ignore/noquery and the query rate limit gate modes 6 and 7 (their replies are larger).
            ServerDecision admitted = Server.AdmitQuery(request, datagram.Source, datagram.ReceiveTime, datagram.Now.Mono, out RestrictFlags flags);
            if (admitted != ServerDecision.Control)
            {
                return new DatagramResult(DatagramDisposition.Dropped, 0, admitted, null);
            }

            // Mode 6 messages are shorter than an NTP header, so they bypass the time server's parser; the
            // source and its restrict flags bind mrulist nonces and apply `nomrulist`; :config may mobilize
            // or demobilize associations. Mode 7 (ntpdc): answered only with `enable mode7`, read-only,
            // never larger than the request.
            IReadOnlyList<byte[]> answers = mode == (int)NtpMode.Control
                ? Control.Respond(request, datagram.Now, datagram.Source, flags, actions)
                : Control.Mode7.Respond(request, datagram.Now);
            foreach (byte[] answer in answers)
            {
                actions.Answer(answer);
            }

            actions.NextDeadline = Deadline(datagram.Now);
            return DatagramResult.Answered;
        }

        if (mode is (int)NtpMode.SymmetricActive or (int)NtpMode.SymmetricPassive && _directory.PeerOf(datagram.Source, Sources) is int peerId)
        {
            // A configured peer's packet (symmetric mode, RFC 5905 §9): it belongs to its association, not to
            // the stateless server; the association answers on its own poll schedule. Its source passes
            // restrict first: `ignore` and `noserve` drop it, `notrust` unless the association signs
            // (its key's MAC is then checked). `nopeer` does not apply: it only keeps packets from
            // mobilizing an association, and this one is configured.
            if (Server.Access?.Match(datagram.Source).Flags is { } peerFlags
                && ((peerFlags & (RestrictFlags.Ignore | RestrictFlags.NoServe)) != 0
                    || ((peerFlags & RestrictFlags.NoTrust) != 0 && Sources.Find(peerId)?.Association.Settings.KeyId is null)))
            {
                PeerPacketsRestricted++;
                return DatagramResult.Ignored;
            }

            return Deliver(peerId, datagram, actions);
        }

        if (mode == (int)NtpMode.Broadcast && _cast.Settings.BroadcastClient)
        {
            // A broadcast client hears broadcasts on the wildcard socket too; otherwise mode 5 is one the server
            // does not answer, counted as such.
            return OnBroadcast(datagram, actions);
        }

        return Serve(datagram, reply);
    }

    // The stateless time server's answer to a client request (a reply, a KoD, or nothing).
    private DatagramResult Serve(in DatagramContext datagram, Span<byte> reply)
    {
        ServerDecision decision = Server.Respond(datagram.Data, datagram.Source, datagram.ReceiveTime, datagram.Now.Mono, reply, out int replyLength);
        return decision switch
        {
            ServerDecision.Reply => new DatagramResult(DatagramDisposition.Reply, replyLength, decision, Server.ReplyKey)
            {
                TransmitOffsetNanoseconds = Server.ReplyTransmitOffsetNanoseconds,
                IsInterleaved = Server.ReplyIsInterleaved,
                TransmitCaptureKey = Server.ReplyCaptureKey,
            },
            // A KoD keeps the request's transmit timestamp: it must not tell the client our time.
            ServerDecision.Kod => new DatagramResult(DatagramDisposition.Kod, replyLength, decision, null),
            _ => new DatagramResult(DatagramDisposition.Dropped, 0, decision, null),
        };
    }

    /// <summary>A datagram on a multicast group or broadcast address socket: a broadcast goes to its broadcast client
    /// association (or mobilizes one); a client request is a manycast client's solicitation, answered only by a
    /// manycast server that is synchronized (ntpd: "no help" otherwise); anything else is dropped.</summary>
    private DatagramResult OnGroupDatagram(in DatagramContext datagram, Span<byte> reply, EngineActions actions)
    {
        Control.Host.Received++;
        int mode = datagram.Data.IsEmpty ? -1 : datagram.Data[0] & 0x07;
        if (mode == (int)NtpMode.Broadcast)
        {
            return OnBroadcast(datagram, actions);
        }

        bool canServe = _cast.Settings.ManycastServer && System.Leap != LeapIndicator.Unsynchronized
            && System.WireStratum < SystemVariables.UnsynchronizedStratum;
        if (mode != (int)NtpMode.Client || !canServe)
        {
            GroupDatagramsDropped++;
            return DatagramResult.Ignored;
        }

        return Serve(datagram, reply);
    }

    /// <summary>Datagrams on group sockets that were neither broadcasts nor requests a manycast server answers.</summary>
    public long GroupDatagramsDropped { get; private set; }

    // A mode 5 packet: to its server's broadcast client association, or the first one heard from that server,
    // which may mobilize one (and is then noted by it: the volley calibrates, or with broadcastdelay it is measured).
    private DatagramResult OnBroadcast(in DatagramContext datagram, EngineActions actions)
    {
        if (!NtpPacket.TryRead(datagram.Data, out NtpPacket packet, out _))
        {
            return DatagramResult.Ignored;
        }

        int? id = _directory.BroadcastClientOf(datagram.Source, Sources);
        if (id is null)
        {
            RestrictFlags flags = Server.Access?.Match(datagram.Source).Flags ?? RestrictFlags.None;
            IPAddress server = datagram.Source.ToIPAddress();
            int existing = 0;
            foreach (RemoteSource source in Sources.Sources)
            {
                existing += source.Association.Settings.Mode == AssociationMode.BroadcastClient ? 1 : 0;
            }

            if (_cast.ForBroadcast(packet, server, flags, existing) is not { } settings)
            {
                return DatagramResult.Ignored;
            }

            id = MobilizeAssociation(settings, datagram.Now, actions);
            actions.Notice(NoticeKind.Info, $"broadcast client: association {id} mobilized for server {server}");
        }

        double pendingSlew = 0;
        double pendingSlewUncertainty = 0;
        datagram.PendingSlew?.ReadPendingSlew(out pendingSlew, out pendingSlewUncertainty);
        ReplyVerdict verdict = Sources.OnBroadcast(id.Value, datagram.Data, datagram.ReceiveTime, datagram.Now, actions, pendingSlew, pendingSlewUncertainty);
        UnpeerEarly(id.Value, verdict, actions);
        if (Sources.SystemPeer is not null)
        {
            _systemPeer = null;
        }

        actions.NextDeadline = Deadline(datagram.Now);
        return DatagramResult.ForAssociation;
    }

    // A server's answer to a manycast solicitor's request: it mobilizes a client association for that server,
    // unless one exists or the rules refuse it (CastMobilizer).
    private DatagramResult OnSolicitationReply(RemoteSource solicitor, in DatagramContext datagram, EngineActions actions)
    {
        if (!NtpPacket.TryRead(datagram.Data, out NtpPacket packet, out _) || !solicitor.Association.AnswersSolicitation(packet.Header))
        {
            return DatagramResult.Ignored;
        }

        IPAddress server = datagram.Source.ToIPAddress();
        foreach (RemoteSource source in Sources.Sources)
        {
            if (source.Association.Settings.Address.Address.Equals(server))
            {
                _cast.Duplicate();
                return DatagramResult.Ignored;
            }
        }

        int children = 0;
        foreach (int parent in _manycastParents.Values)
        {
            children += parent == solicitor.Id ? 1 : 0;
        }

        RestrictFlags flags = Server.Access?.Match(datagram.Source).Flags ?? RestrictFlags.None;
        if (_cast.ForManycastReply(packet, server, flags, solicitor.Association.Settings, children) is not { } settings)
        {
            return DatagramResult.Ignored;
        }

        int id = MobilizeAssociation(settings, datagram.Now, actions);
        _manycastParents[id] = solicitor.Id;
        actions.Notice(NoticeKind.Info, $"manycast client {solicitor.Association.Settings.DisplayName}: association {id} mobilized for server {server}");
        actions.NextDeadline = Deadline(datagram.Now);
        return DatagramResult.ForAssociation;
    }

    /// <summary>A datagram on association <see cref="DatagramContext.AssociationId"/>'s own socket: only
    /// one from its server's address and port counts, and ntpd drops even its servers' replies from an
    /// `ignore` or `noserve` source ("restrict source" exempts them).</summary>
    private DatagramResult OnAssociationDatagram(in DatagramContext datagram, EngineActions actions)
    {
        if (Sources.Find(datagram.AssociationId) is { Association.Settings.IsManycastSolicitor: true } solicitor)
        {
            return OnSolicitationReply(solicitor, datagram, actions);
        }

        if (!_directory.IsRemoteOf(datagram.AssociationId, datagram.Source, Sources))
        {
            return DatagramResult.Ignored;
        }

        if (Server.Access?.Match(datagram.Source).Flags is { } restricted && (restricted & (RestrictFlags.Ignore | RestrictFlags.NoServe)) != 0)
        {
            return DatagramResult.Ignored;
        }

        return Deliver(datagram.AssociationId, datagram, actions);
    }

    private DatagramResult Deliver(int associationId, in DatagramContext datagram, EngineActions actions)
    {
        double pendingSlew = 0;
        double pendingSlewUncertainty = 0;
        datagram.PendingSlew?.ReadPendingSlew(out pendingSlew, out pendingSlewUncertainty);
        ReplyVerdict verdict = OnReply(associationId, datagram.Data, datagram.ReceiveTime, datagram.Now, actions, pendingSlew, pendingSlewUncertainty);
        UnpeerEarly(associationId, verdict, actions);
        actions.NextDeadline = Deadline(datagram.Now);
        return DatagramResult.ForAssociation;
    }

    // ntpd's unpeer_digest_early and unpeer_crypto_nak_early: an ephemeral association (one a packet mobilized)
    // whose server fails authentication is demobilized at once rather than left to time out.
    private void UnpeerEarly(int associationId, ReplyVerdict verdict, EngineActions actions)
    {
        if (verdict != ReplyVerdict.AuthenticationFailed || Sources.Find(associationId) is not { Association.Settings.IsEphemeral: true } source)
        {
            return;
        }

        bool cryptoNak = source.Association.LastAuthenticationFailureWasCryptoNak;
        if (cryptoNak ? _cast.Settings.UnpeerCryptoNakEarly : _cast.Settings.UnpeerDigestEarly)
        {
            string name = source.Association.Settings.DisplayName;
            if (DemobilizeAssociation(associationId, actions))
            {
                actions.Notice(NoticeKind.Info, $"{name}: ephemeral association {associationId} demobilized: {(cryptoNak ? "crypto-NAK" : "bad digest")}");
            }
        }
    }

    /// <summary>A host name lookup asked for by a Resolve action finished: <paramref name="addresses"/> in
    /// the resolver's order, or none and <paramref name="error"/>. Mobilizes what the name's line asks for.</summary>
    public void OnResolved(int token, IReadOnlyList<IPAddress> addresses, string? error, LoopTime now, EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(actions);
        _names?.OnResolved(token, addresses, error, now, this, actions);
    }

    /// <summary>The host could not queue lookup <paramref name="token"/> (its queue is full): it is asked
    /// for again after NameMobilizer.RetrySeconds.</summary>
    public void OnResolveRefused(int token) => _names?.OnRefused(token);

    /// <summary>The daemon is stopping: the drift file is written once more if the frequency is known.</summary>
    public void Stop(EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        SaveDriftIfKnown(actions);
    }

    /// <summary>Mobilizes an association with a known address (a resolved name, ntpq :config) and asks
    /// for its socket; returns its id. It polls at once (iburst as configured).</summary>
    public int MobilizeAssociation(RemoteAssociationSettings settings, LoopTime now, EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(actions);
        int id = Sources.Mobilize(settings, now, _localClocks.Count + 1, actions);
        foreach (RemoteSource source in Sources.Sources)
        {
            if (source.Id == id)
            {
                OpenSocket(source, actions);
            }
        }

        AssociationsChanged();
        return id;
    }

    /// <summary>Demobilizes association <paramref name="id"/> and asks for its socket to be closed; false
    /// when there is none.</summary>
    public bool DemobilizeAssociation(int id, EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (!Sources.Demobilize(id, actions))
        {
            return false;
        }

        actions.CloseSocket(id);
        _manycastParents.Remove(id);
        AssociationsChanged();
        return true;
    }

    /// <summary>Queues a `server NAME` / `pool NAME` line for resolution (ntpq :config); the lookup is
    /// asked for at the next timer, which the actions' deadline brings forward to now.</summary>
    public void ResolveAssociation(PendingAssociation line, LoopTime now, EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(actions);
        _names ??= new NameMobilizer([], _configuration.MaxClock);
        _names.Add(line);
        _namesNextMono = now.Mono;
        actions.NextDeadline = Math.Min(actions.NextDeadline, now.Mono);
    }

    // One client socket per network association, on a random ephemeral port (RFC 9109); a reference
    // clock is read by its driver, never over the network.
    // A symmetric peer and a broadcast server send from port 123 (the server socket); a broadcast server and a
    // manycast solicitor send to a group.
    private static void OpenSocket(RemoteSource source, EngineActions actions)
    {
        RemoteAssociationSettings settings = source.Association.Settings;
        if (!source.Association.IsRefclock)
        {
            bool fromNtpPort = settings.Mode is AssociationMode.SymmetricActive or AssociationMode.Broadcast;
            actions.OpenSocket(source.Id, settings.Address, settings.DisplayName, new AssociationSocketOptions(fromNtpPort, settings.SendsToGroup, settings.Ttl));
        }
    }

    // "restrict source" covers every association's address, including those mobilized at run time; the
    // datagram routes follow the associations.
    private void AssociationsChanged()
    {
        _directory.Invalidate();
        var addresses = new List<ClientAddress>();
        foreach (RemoteSource source in Sources.Sources)
        {
            addresses.Add(ClientAddress.From(source.Association.Settings.Address.Address));
        }

        Server.Access?.SetSourceAddresses(addresses);
    }

    // Name lookups due and pool upkeep; a newly mobilized association polls at once.
    private void RunNames(LoopTime now, EngineActions actions)
    {
        if (_names is not null)
        {
            double next = _names.OnTimer(now, this, actions);
            _namesNextMono = (long)(next * 1e9);
        }
    }

    // The hourly drift file write and sysstats line (ntpd's proto_clr_stats: the counters start again).
    private void Housekeeping(LoopTime now, EngineActions actions)
    {
        if (_configuration.KeepDriftFile && _driftSchedule.IsDue(now))
        {
            SaveDriftIfKnown(actions);
        }

        if (_configuration.WriteSysStats && _sysStatsSchedule.IsDue(now))
        {
            actions.RecordSystem(SysStatsRecord.From(Control.StatisticsAgeSeconds(now), Server.Counters));
            Control.ResetStatistics(now);
        }
    }

    // Only a settled frequency (the discipline in SYNC) is worth keeping: a drift file written from an
    // unsettled or only file-given one would carry a guess forward.
    private void SaveDriftIfKnown(EngineActions actions)
    {
        DisciplineStatus status = Sources.Discipline.Status;
        if (_configuration.KeepDriftFile && status.State == DisciplineState.Synchronized)
        {
            actions.SaveDriftFile(status.Frequency);
        }
    }

    /// <summary>A datagram for association <paramref name="associationId"/>.</summary>
    private ReplyVerdict OnReply(int associationId, ReadOnlySpan<byte> data, NtpTimestamp receiveTime, LoopTime now, EngineActions actions, double pendingSlew,
        double pendingSlewUncertainty)
    {
        ReplyVerdict verdict = Sources.OnReply(associationId, data, receiveTime, now, actions, pendingSlew, pendingSlewUncertainty);
        if (Sources.SystemPeer is not null)
        {
            // A remote source outranks the local clock fallback.
            _systemPeer = null;
        }

        return verdict;
    }

    /// <summary>One poll of a reference clock association, from its driver (SourceManager.OnRefclockPoll).</summary>
    public ReplyVerdict OnRefclockPoll(int associationId, double? offset, double jitter, LeapIndicator leap, sbyte precision, LoopTime now, EngineActions actions, double pendingSlew,
        double pendingSlewUncertainty = 0)
    {
        ReplyVerdict verdict = Sources.OnRefclockPoll(associationId, offset, jitter, leap, precision, now, actions, pendingSlew, pendingSlewUncertainty);
        if (Sources.SystemPeer is not null)
        {
            // A selected source outranks the local clock fallback.
            _systemPeer = null;
        }

        return verdict;
    }

    /// <summary>Records T1 of a request the host is about to send.</summary>
    public void MarkSent(int associationId, NtpTimestamp transmitTime) => Sources.MarkSent(associationId, transmitTime);

    /// <summary>The deadline has come: lookups and pool upkeep first (a member mobilized now polls at
    /// once), then due polls, the local clock driver, orphan mode and the hourly housekeeping. Returns the
    /// next deadline (monotonic ns), also left in the actions.</summary>
    public long OnTimer(LoopTime now, EngineActions actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        RunNames(now, actions);
        bool sampled = false;
        foreach (LocalClockSource clock in _localClocks)
        {
            sampled |= clock.Poll(now);
        }

        Sources.OnTimer(now, actions);
        ExpireEphemerals(actions);
        if (sampled && Sources.SystemPeer is null)
        {
            SelectSystemPeer(now, actions);
        }

        if (_orphan is not null && _orphan.Update(Sources.SystemPeer is not null || _systemPeer is not null, now, System))
        {
            actions.Notice(NoticeKind.Synchronized, $"orphan mode: no source reachable for {_configuration.Orphan!.WaitSeconds:0} s; serving stratum {_orphan.Stratum}");
        }

        if (_leapSmear is not null)
        {
            _leapSmear.Update(System.Leap, now);
            System.LeapSmearWindow = _leapSmear.Window;
        }

        Housekeeping(now, actions);
        actions.NextDeadline = Deadline(now);
        return actions.NextDeadline;
    }

    // Ephemeral associations (broadcast servers heard, manycast servers found) that stayed unreachable are
    // demobilized; a manycast solicitor stops soliciting while `tos minclock` of its servers are reachable.
    private void ExpireEphemerals(EngineActions actions)
    {
        foreach (int id in Sources.TimedOut.ToArray())
        {
            string name = Sources.Find(id)?.Association.Settings.DisplayName ?? id.ToString(global::System.Globalization.CultureInfo.InvariantCulture);
            if (DemobilizeAssociation(id, actions))
            {
                actions.Notice(NoticeKind.Info, $"{name}: ephemeral association {id} demobilized, unreachable for {SourceManager.EphemeralTimeoutPolls} polls");
            }
        }

        if (_manycastParents.Count == 0)
        {
            return;
        }

        foreach (RemoteSource source in Sources.Sources)
        {
            if (!source.Association.Settings.IsManycastSolicitor)
            {
                continue;
            }

            int reachable = 0;
            foreach ((int child, int parent) in _manycastParents)
            {
                reachable += parent == source.Id && Sources.Find(child) is { Association.IsReachable: true } ? 1 : 0;
            }

            source.Association.SolicitationSatisfied = reachable >= _cast.Settings.MinClock;
        }
    }

    /// <summary>Restrict list, MRU list and rate limits; "restrict source" covers the configured association addresses.</summary>
    private static Access.AccessControl CreateAccessControl(EngineConfiguration configuration, IRandomSource? random)
    {
        var sources = new List<Access.ClientAddress>();
        foreach (RemoteAssociationSettings remote in configuration.RemoteAssociations ?? [])
        {
            sources.Add(Access.ClientAddress.From(remote.Address.Address));
        }

        // The seed keys the MRU hash against chosen collisions. It is drawn only when access settings
        // are given (ntpd, with its CSPRNG), so seeded tests without them keep their random sequence.
        ulong seed = configuration.Access is not null && random is not null ? random.NextUInt64() : 0x6A09E667F3BCC908UL;
        return new Access.AccessControl(configuration.Access ?? Access.AccessSettings.Default, seed, sources);
    }

    /// <summary>The earliest of: a poll, a local clock driver's poll, a name lookup or pool check, the
    /// hourly housekeeping, and (in orphan mode, judged once a second) a second from now.</summary>
    private long Deadline(LoopTime now)
    {
        long deadline = Sources.NextDeadline();
        foreach (LocalClockSource clock in _localClocks)
        {
            deadline = Math.Min(deadline, clock.NextPollMono);
        }

        deadline = Math.Min(deadline, Math.Min(_namesNextMono, Math.Min(_driftSchedule.NextMono, _sysStatsSchedule.NextMono)));
        return _orphan is null ? deadline : Math.Min(deadline, now.Mono + LoopTime.NanosecondsPerSecond);
    }

    /// <summary>Among local clocks with a sample: prefer a `prefer` one, then the lowest stratum.</summary>
    private void SelectSystemPeer(LoopTime now, EngineActions actions)
    {
        LocalClockSource? best = null;
        foreach (LocalClockSource clock in _localClocks)
        {
            if (!clock.HasSample)
            {
                continue;
            }

            if (best is null
                || (clock.Settings.Prefer && !best.Settings.Prefer)
                || (clock.Settings.Prefer == best.Settings.Prefer && clock.Settings.Stratum < best.Settings.Stratum))
            {
                best = clock;
            }
        }

        if (best is null)
        {
            return;
        }

        byte stratum = (byte)Math.Min(best.Settings.Stratum + 1, SystemVariables.UnsynchronizedStratum);
        ReferenceId refid = SystemVariables.ReferenceIdFor(stratum, best.ReferenceId, best.Settings.Address);
        // A leap file announces its leap second through a local clock too (ntpd's leapsec works apart from the sources).
        System.Update(LeapSchedule.FromTable(Sources.LeapTable, now.Real), stratum, refid, 0, best.LastDispersion, now, best.Settings.DisplayName);
        if (!ReferenceEquals(best, _systemPeer))
        {
            _systemPeer = best;
            actions.Notice(NoticeKind.Synchronized, NoticeText.Synchronized(best.Settings.DisplayName, best.Settings.Stratum));
        }
    }
}

/// <summary>Stands in when there are no remote associations (nothing asks for randomness).</summary>
internal sealed class NoRandom : IRandomSource
{
    public static NoRandom Instance { get; } = new();

    public ulong NextUInt64() => throw new InvalidOperationException("no random source configured");
}
