// BroadcastTarget ("broadcast"): arbitrary datagrams through NtpEngine.OnDatagram to ntpd's broadcast
// and manycast modes: mode 5 on a server or group socket (OnBroadcast: mobilization by CastMobilizer,
// the volley, BroadcastReception's listening, too-soon and backstep checks), client requests on a group
// socket (answered only by a synchronized manycast server), and servers' answers on a manycast
// solicitor's socket (OnSolicitationReply). The engine: `broadcastclient`, `manycastserver`,
// `tos maxclock 4`, trusted key 1 (MD5; the keys file of EngineFixture, where keys 2..5 are here
// untrusted), `restrict 192.0.2.5 nopeer`, `restrict 192.0.2.6 noserve`, the discipline on, a fixed
// random source, and one `manycastclient 239.1.1.1` solicitor (iburst, minpoll 4, maxpoll 6). Time is a
// fixed start plus what the input advances; the harness runs the timer the way the host does (MarkSent
// for each request) and notes each association's last request transmit timestamp (the origin a reply
// must echo).
// Input: two option octets, then up to 48 records.
//   options[0] bit 0:    `enable auth` (CastSettings.Authenticate)
//   options[0] bits 1-3: `tos bcpollbstep` (value % 5)
//   options[0] bit 4:    the solicitor has `key 1`
//   options[0] bit 5:    the system starts synchronized (stratum 3), so the manycast server answers
//   options[0] bits 6-7: `broadcastdelay`: none (the volley measures it), options[1] / 255 s,
//                        options[1] * 10 µs, or 0
// Each record: a place octet, a fix-up octet, a timing octet, then a length octet and the datagram.
//   place bits 0-2:  source 192.0.2.(1 + value % 6)
//   place bit 3:     from port 50000 + source instead of 123
//   place bits 4-5:  socket: server, group, the solicitor's, or the source's own association's (the
//                    first association with the source's address; the solicitor's when there is none)
//   place bits 6-7:  time before it: none, 4 s, the engine's next deadline (at most 1100 s; the timer
//                    runs and requests go out), or 20 s and the timer
//   fix-up bits 0-1: keep the mode, or set version 4 and mode 5, 4 or 3
//   fix-up bit 2:    write the receiving association's last request transmit timestamp as the origin
//                    (the solicitor's on a server or group socket)
//   fix-up bits 3-6: MacChoice (value % 9): sign with key 1 (trusted) or another key, corrupt, crypto-NAK
//   fix-up bit 7:    write plausible times: a mode 5 packet's transmit time, else receive and transmit
//                    times, the server ahead by the timing octet's bits 1-7 (signed), in ms (bit 0
//                    clear) or s (bit 0 set), less 2 ms on the way
// Invariants beyond "no exception":
// - never more than `tos maxclock` broadcast client associations, nor associations one solicitor
//   mobilized; nothing is ever mobilized for the `noserve` source;
// - an association is mobilized only by a mode 5 packet on a server or group socket (a broadcast
//   client association for its source) or by a mode 4 answer to the solicitor's outstanding request on
//   the solicitor's socket (an ephemeral client association), at most one per datagram; with `enable
//   auth`, from the `nopeer` source, or for a solicitor with `key 1`, only by a packet whose MAC
//   verifies with key 1; with `enable auth` every broadcast client association has key 1;
// - a datagram that reaches an association gets exactly one verdict there (one drop counter moves, an
//   exchange is recorded, or the ephemeral association is demobilized for failing authentication); any other datagram changes no association's counters; a datagram on the
//   server socket other than mode 5 goes nowhere near the broadcast client associations;
// - on a group socket only a mode 3 request is answered (with mode 4), and only while the system is
//   synchronized; anything else there is dropped;
// - a listening broadcast client, and a solicitor with enough servers, send nothing at the timer;
// - every accepted sample has a finite offset, a delay > 0 and a dispersion >= 0; every clock action
//   is finite and a frequency stays within ±500 ppm;
// - afterwards every association still reads back well-formed over mode 6.
using System.Net;
using Stratum.Core.Auth;
using Stratum.Core.Config;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.Access;
using Stratum.Engine.Associations;

namespace Stratum.Fuzz.Targets;

internal static class BroadcastTarget
{
    /// <summary>`tos maxclock` of the target's engine.</summary>
    public const int MaxClock = 4;

    /// <summary>Index in <see cref="Servers"/> of the source with `restrict nopeer`.</summary>
    public const int NoPeerServer = 4;

    /// <summary>Index in <see cref="Servers"/> of the source with `restrict noserve`.</summary>
    public const int NoServeServer = 5;

    private const int MaxRecords = 48;
    private const long MaxTimerWait = 1100 * LoopTime.NanosecondsPerSecond;
    private const long StartUnixNanoseconds = 1_795_000_000L * LoopTime.NanosecondsPerSecond;
    private const long StartMono = 5 * LoopTime.NanosecondsPerSecond;

    /// <summary>The sources a record chooses among.</summary>
    public static IPAddress[] Servers { get; } =
        [IPAddress.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.2"), IPAddress.Parse("192.0.2.3"),
         IPAddress.Parse("192.0.2.4"), IPAddress.Parse("192.0.2.5"), IPAddress.Parse("192.0.2.6")];

    private static readonly IPAddress s_group = IPAddress.Parse("239.1.1.1");

    // Only key 1 is trusted: MacChoice's other keys sign with keys this engine does not trust.
    private static readonly Lazy<KeyRing> s_keys = new(() => new KeyRing(EngineFixture.Keys, [EngineFixture.Md5KeyId]));

    private static readonly AccessSettings s_access = AccessSettings.From(
        [
            new RestrictRule(RestrictTarget.Address, Servers[NoPeerServer], IPAddress.Broadcast, AddressFamilyHint.IPv4, RestrictFlags.NoPeer, 1),
            new RestrictRule(RestrictTarget.Address, Servers[NoServeServer], IPAddress.Broadcast, AddressFamilyHint.IPv4, RestrictFlags.NoServe, 2),
        ],
        DiscardOptions.Default, MruOptions.Default);

    public static void Run(ReadOnlySpan<byte> input)
    {
        var reader = new FuzzInputReader(input);
        byte options = reader.ReadByte();
        byte delay = reader.ReadByte();
        var run = new Harness(options, delay);
        for (int record = 0; record < MaxRecords && !reader.IsAtEnd; record++)
        {
            byte place = reader.ReadByte();
            byte fixups = reader.ReadByte();
            byte timing = reader.ReadByte();
            ReadOnlySpan<byte> datagram = reader.ReadRecord();
            run.Step(place, fixups, timing, datagram);
        }

        run.Finish();
    }

    /// <summary>The `broadcastdelay` options[0] bits 6-7 and options[1] choose.</summary>
    private static double? DelayOf(byte options, byte delay) => (options >> 6) switch
    {
        0 => null,
        1 => delay / 255.0,
        2 => delay * 10e-6,
        _ => 0,
    };

    /// <summary>One input's engine, clock and bookkeeping.</summary>
    private sealed class Harness
    {
        private readonly NtpEngine _engine;
        private readonly EngineActions _actions = new();
        private readonly byte[] _reply = new byte[NtpHeader.Size + NtpPacket.MaxMacLength];
        private readonly CastSettings _casting;
        private readonly int _solicitorId;
        private readonly bool _solicitorKeyed;

        // The last request each association sent (its transmit timestamp: the origin a reply echoes).
        private readonly Dictionary<int, NtpTimestamp> _requests = [];

        // Associations the solicitor mobilized (still there or not).
        private readonly HashSet<int> _manycast = [];
        private long _mono = StartMono;
        private long _deadline;

        public Harness(byte options, byte delay)
        {
            _casting = new CastSettings
            {
                BroadcastClient = true,
                ManycastServer = true,
                Authenticate = (options & 1) != 0,
                BroadcastDelay = DelayOf(options, delay),
                BackstepPolls = ((options >> 1) & 7) % 5,
                MaxClock = MaxClock,
            };
            _solicitorKeyed = (options & 0x10) != 0;
            var solicitor = new RemoteAssociationSettings(new IPEndPoint(s_group, ClientAddress.NtpPort), AssociationMode.Client,
                Iburst: true, Burst: false, Prefer: false, NoSelect: false, True: false, 4, 6, 4, s_group.ToString())
            {
                KeyId = _solicitorKeyed ? EngineFixture.Md5KeyId : null,
                IsManycastSolicitor = true,
            };
            var configuration = new EngineConfiguration([], [], DisciplineEnabled: true, [solicitor], s_access, Keys: s_keys.Value)
            {
                Casting = _casting,
            };
            _engine = new NtpEngine(configuration, EngineFixture.Precision, new FixedRandomSource(0xB20A_DCA5));
            _engine.Start(Now, _actions);
            _engine.OnListening([new IPEndPoint(IPAddress.Parse("192.0.2.200"), ClientAddress.NtpPort)], [IPAddress.Parse("192.0.2.200")], _actions);
            _deadline = _actions.NextDeadline;
            _solicitorId = Only(_engine.Sources.Sources).Id;
            if ((options & 0x20) != 0)
            {
                _engine.System.Update(LeapIndicator.NoWarning, 3, ReferenceId.FromAddress(IPAddress.Parse("192.0.2.254")), 0.001, 0.002, Now, "192.0.2.254");
            }
        }

        private LoopTime Now => new(_mono, NtpTimestamp.FromUnixNanoseconds(StartUnixNanoseconds + (_mono - StartMono)));

        private bool Synchronized => _engine.System.Leap != LeapIndicator.Unsynchronized
            && _engine.System.WireStratum < Stratum.Engine.SystemState.SystemVariables.UnsynchronizedStratum;

        public void Step(byte place, byte fixups, byte timing, ReadOnlySpan<byte> datagram)
        {
            int server = (place & 7) % Servers.Length;
            ClientAddress source = ClientAddress.From(Servers[server], (place & 0x08) != 0 ? 50000 + server : ClientAddress.NtpPort);
            Wait((place >> 6) & 3);
            RemoteSource? own = OwnOf(Servers[server]);
            SocketKind socket;
            int receiver;
            switch ((place >> 4) & 3)
            {
                case 0:
                    socket = SocketKind.Server;
                    receiver = _solicitorId;
                    break;
                case 1:
                    socket = SocketKind.Group;
                    receiver = _solicitorId;
                    break;
                case 2:
                    socket = SocketKind.Association;
                    receiver = _solicitorId;
                    break;
                default:
                    socket = SocketKind.Association;
                    receiver = own?.Id ?? _solicitorId;
                    break;
            }

            byte[] packet = Prepare(datagram, fixups, timing, receiver);
            Deliver(socket, receiver, source, server, packet);
            CheckState();
        }

        public void Finish() => ControlResponderTarget.ReadEveryAssociation(_engine, Now);

        private void Wait(int choice)
        {
            switch (choice)
            {
                case 1:
                    Advance(4 * LoopTime.NanosecondsPerSecond);
                    break;
                case 2:
                    Advance(Math.Min(_deadline - _mono, MaxTimerWait));
                    RunTimer();
                    break;
                case 3:
                    Advance(20 * LoopTime.NanosecondsPerSecond);
                    RunTimer();
                    break;
            }
        }

        private void Advance(long nanoseconds) => _mono += Math.Max(0, nanoseconds);

        /// <summary>Runs the timer as the host does; notes each request's transmit timestamp. A listening broadcast
        /// client and a satisfied solicitor must send nothing.</summary>
        private void RunTimer()
        {
            var quiet = new HashSet<int>();
            foreach (RemoteSource source in _engine.Sources.Sources)
            {
                if (source.Association.IsListening || (source.Association.Settings.IsManycastSolicitor && source.Association.SolicitationSatisfied))
                {
                    quiet.Add(source.Id);
                }
            }

            _actions.Clear();
            _deadline = _engine.OnTimer(Now, _actions);
            AssociationReplyTarget.CheckClockActions(_actions);
            foreach (OutgoingPacket packet in _actions.Packets)
            {
                FuzzInvariantException.Check(!quiet.Contains(packet.AssociationId), $"association {packet.AssociationId} sent while listening or satisfied");
                ReadOnlySpan<byte> bytes = _actions.PacketBytes(packet);
                FuzzInvariantException.Check(bytes.Length >= NtpHeader.Size && (bytes[0] & 7) == (int)NtpMode.Client,
                    $"association {packet.AssociationId} sent something other than a client request");
                _engine.MarkSent(packet.AssociationId, Now.Real);
                _requests[packet.AssociationId] = NtpTimestamp.Read(bytes[NtpHeader.TransmitTimeOffset..]);
            }
        }

        private RemoteSource? OwnOf(IPAddress address)
        {
            foreach (RemoteSource source in _engine.Sources.Sources)
            {
                if (source.Association.Settings.Address.Address.Equals(address))
                {
                    return source;
                }
            }

            return null;
        }

        private byte[] Prepare(ReadOnlySpan<byte> datagram, byte fixups, byte timing, int receiver)
        {
            byte[] packet = datagram.ToArray();
            if (packet.Length >= NtpHeader.Size)
            {
                int mode = (fixups & 3) switch { 1 => (int)NtpMode.Broadcast, 2 => (int)NtpMode.Server, 3 => (int)NtpMode.Client, _ => -1 };
                if (mode >= 0)
                {
                    packet[0] = (byte)((packet[0] & 0xC0) | (4 << 3) | mode);
                }

                if ((fixups & 0x04) != 0 && _requests.TryGetValue(receiver, out NtpTimestamp origin))
                {
                    origin.Write(packet.AsSpan(24));
                }

                if ((fixups & 0x80) != 0)
                {
                    int ahead = (sbyte)(timing & 0xFE) / 2;
                    double seconds = (timing & 1) != 0 ? ahead : ahead * 0.001;
                    NtpTimestamp sent = Now.Real + NtpDuration.FromSeconds(seconds - 0.002);
                    if ((packet[0] & 7) == (int)NtpMode.Broadcast)
                    {
                        sent.Write(packet.AsSpan(NtpHeader.TransmitTimeOffset));
                    }
                    else
                    {
                        sent.Write(packet.AsSpan(32));
                        (sent + NtpDuration.FromSeconds(0.0001)).Write(packet.AsSpan(NtpHeader.TransmitTimeOffset));
                    }
                }
            }

            return MacSigner.SignPacket(packet, MacSigner.Choice((fixups >> 3) & 0x0F));
        }

        private void Deliver(SocketKind socket, int receiver, in ClientAddress source, int server, byte[] packet)
        {
            var before = new Dictionary<int, (long[] Dropped, RawExchange? Exchange)>();
            foreach (RemoteSource existing in _engine.Sources.Sources)
            {
                before[existing.Id] = ([.. existing.Association.DroppedReplies], existing.Association.LastExchange);
            }

            bool synchronized = Synchronized;
            int mode = packet.Length == 0 ? -1 : packet[0] & 7;
            LoopTime now = Now;
            DatagramContext context = socket switch
            {
                SocketKind.Server => DatagramContext.ForServer(source, now.Real, now.Mono, packet),
                SocketKind.Group => DatagramContext.ForGroup(source, now.Real, now, packet),
                _ => DatagramContext.ForAssociation(receiver, source, now.Real, now, packet),
            };
            _actions.Clear();
            DatagramResult result = _engine.OnDatagram(context, _reply, _actions);
            if (_actions.NextDeadline != long.MaxValue)
            {
                _deadline = _actions.NextDeadline;
            }

            AssociationReplyTarget.CheckClockActions(_actions);
            if (socket == SocketKind.Group)
            {
                CheckGroup(result, mode, synchronized);
            }

            List<RemoteSource> mobilized = [];
            int verdicts = 0;
            foreach (RemoteSource after in _engine.Sources.Sources)
            {
                if (!before.TryGetValue(after.Id, out (long[] Dropped, RawExchange? Exchange) was))
                {
                    mobilized.Add(after);
                    continue;
                }

                for (int i = 0; i < was.Dropped.Length; i++)
                {
                    long moved = after.Association.DroppedReplies[i] - was.Dropped[i];
                    FuzzInvariantException.Check(moved is 0 or 1, $"association {after.Id}: one datagram counted {moved} times as {(ReplyVerdict)i}");
                    verdicts += (int)moved;
                }

                if (!ReferenceEquals(after.Association.LastExchange, was.Exchange))
                {
                    verdicts++;
                    FuzzInvariantException.Check((after.Association.Reach & 1) != 0, $"association {after.Id} accepted a packet without reach");
                }
            }

            // An ephemeral association whose server failed authentication is demobilized at once (unpeer_digest_early,
            // unpeer_crypto_nak_early): that is its verdict.
            int demobilized = 0;
            foreach (int id in before.Keys)
            {
                demobilized += _engine.Sources.Sources.Any(source => source.Id == id) ? 0 : 1;
            }

            FuzzInvariantException.Check(demobilized <= 1, $"one datagram demobilized {demobilized} associations");
            verdicts += demobilized;
            FuzzInvariantException.Check(mobilized.Count <= 1, $"one datagram mobilized {mobilized.Count} associations");
            if (mobilized.Count == 1)
            {
                CheckMobilized(mobilized[0], socket, receiver, server, mode, packet, verdicts);
                return;
            }

            bool toSolicitor = socket == SocketKind.Association && receiver == _solicitorId;
            int expected = result.Disposition == DatagramDisposition.Association && !toSolicitor ? 1 : 0;
            FuzzInvariantException.Check(verdicts == expected,
                $"{socket} datagram ({result.Disposition}, mode {mode}) gave {verdicts} verdicts, expected {expected}");
            if (socket == SocketKind.Server && mode != (int)NtpMode.Broadcast)
            {
                FuzzInvariantException.Check(result.Disposition != DatagramDisposition.Association,
                    $"a mode {mode} datagram on the server socket reached an association");
            }
        }

        /// <summary>On a group socket: a mode 5 packet goes to broadcast clients; only a mode 3 request is answered,
        /// with mode 4, and only while synchronized; anything else is dropped.</summary>
        private void CheckGroup(in DatagramResult result, int mode, bool synchronized)
        {
            if (mode == (int)NtpMode.Broadcast)
            {
                FuzzInvariantException.Check(result.Disposition is DatagramDisposition.Association or DatagramDisposition.Dropped,
                    $"a broadcast on a group socket ended as {result.Disposition}");
                return;
            }

            if (result.Disposition == DatagramDisposition.Reply)
            {
                FuzzInvariantException.Check(mode == (int)NtpMode.Client && synchronized,
                    $"a mode {mode} datagram on a group socket answered (synchronized: {synchronized})");
                FuzzInvariantException.Check(result.ReplyLength >= NtpHeader.Size && (_reply[0] & 7) == (int)NtpMode.Server,
                    "a manycast server's answer is not a mode 4 reply");
                return;
            }

            FuzzInvariantException.Check(result.Disposition == DatagramDisposition.Dropped || (mode == (int)NtpMode.Client && synchronized),
                $"a mode {mode} datagram on a group socket ended as {result.Disposition} (synchronized: {synchronized})");
        }

        private void CheckMobilized(RemoteSource association, SocketKind socket, int receiver, int server, int mode, byte[] packet, int verdicts)
        {
            RemoteAssociationSettings settings = association.Association.Settings;
            FuzzInvariantException.Check(settings.IsEphemeral && settings.Address.Address.Equals(Servers[server]) && settings.Address.Port == ClientAddress.NtpPort,
                $"association {association.Id} mobilized for {settings.Address}, not the ephemeral association of {Servers[server]}");
            FuzzInvariantException.Check(server != NoServeServer, "an association mobilized for a noserve source");
            bool signed = NtpPacket.TryRead(packet, out NtpPacket parsed, out _) && parsed.HasMac && parsed.Mac.KeyId == EngineFixture.Md5KeyId
                && PacketMac.Verify(EngineFixture.Key(EngineFixture.Md5KeyId), parsed);
            if (socket == SocketKind.Association)
            {
                FuzzInvariantException.Check(receiver == _solicitorId && mode == (int)NtpMode.Server && settings.Mode == AssociationMode.Client,
                    $"a mode {mode} datagram on association {receiver}'s socket mobilized a {settings.Mode} association");
                FuzzInvariantException.Check(_requests.TryGetValue(_solicitorId, out NtpTimestamp cookie) && parsed.Header.OriginTime == cookie,
                    "a datagram that does not answer the solicitor's request mobilized an association");
                FuzzInvariantException.Check(signed || !(_casting.Authenticate || _solicitorKeyed || server == NoPeerServer),
                    $"an unsigned answer mobilized association {association.Id} (auth {_casting.Authenticate}, solicitor keyed {_solicitorKeyed})");
                FuzzInvariantException.Check(settings.KeyId == (_solicitorKeyed ? EngineFixture.Md5KeyId : null),
                    $"manycast association {association.Id} has key {settings.KeyId}");
                FuzzInvariantException.Check(verdicts == 0, "a manycast mobilization also gave an existing association a verdict");
                _manycast.Add(association.Id);
                return;
            }

            FuzzInvariantException.Check(mode == (int)NtpMode.Broadcast && settings.Mode == AssociationMode.BroadcastClient,
                $"a mode {mode} datagram on a {socket} socket mobilized a {settings.Mode} association");
            FuzzInvariantException.Check(signed || !(_casting.Authenticate || server == NoPeerServer),
                $"an unsigned broadcast mobilized association {association.Id} (auth {_casting.Authenticate})");
            FuzzInvariantException.Check(settings.BroadcastDelay == _casting.BroadcastDelay, "a broadcast client without the configured broadcastdelay");
            long own = association.Association.DroppedReplies.Sum() + (association.Association.LastExchange is null ? 0 : 1);
            FuzzInvariantException.Check(verdicts == 0 && own == 1, $"the mobilizing broadcast got {own} verdicts from its association, {verdicts} from others");
        }

        /// <summary>Association counts, keys and samples after every record.</summary>
        private void CheckState()
        {
            int broadcastClients = 0;
            int manycast = 0;
            foreach (RemoteSource source in _engine.Sources.Sources)
            {
                RemoteAssociation association = source.Association;
                if (association.Settings.Mode == AssociationMode.BroadcastClient)
                {
                    broadcastClients++;
                    FuzzInvariantException.Check(!_casting.Authenticate || association.Settings.KeyId == EngineFixture.Md5KeyId,
                        $"broadcast client association {source.Id} without key 1 although auth is on");
                }

                manycast += _manycast.Contains(source.Id) ? 1 : 0;
                FuzzInvariantException.Check(!association.Settings.Address.Address.Equals(Servers[NoServeServer]), "an association for the noserve source");
                if (association.LastSample is { } sample)
                {
                    FuzzInvariantException.Check(AssociationReplyTarget.Finite(sample),
                        $"association {source.Id}: sample offset {sample.Offset}, delay {sample.Delay}, dispersion {sample.Dispersion}");
                }
            }

            FuzzInvariantException.Check(broadcastClients <= MaxClock, $"{broadcastClients} broadcast client associations, maxclock {MaxClock}");
            FuzzInvariantException.Check(manycast <= MaxClock, $"the solicitor has {manycast} associations, maxclock {MaxClock}");
            FuzzInvariantException.Check(_engine.Sources.Sources.Any(source => source.Id == _solicitorId), "the configured solicitor was demobilized");
        }

        private static RemoteSource Only(IReadOnlyList<RemoteSource> sources) =>
            sources.Count == 1 ? sources[0] : throw new InvalidOperationException($"{sources.Count} associations at the start");
    }
}
