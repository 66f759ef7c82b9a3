// EngineFixture: the daemon the responder targets (mode6-responder, mrulist, mode7-responder, server,
// reply) send their inputs to, built the way ntpd builds it: an ntp.conf and a keys file parsed by
// Core's parsers, translated by the daemon's own NtpdDaemon.Translate, an NtpEngine with a fixed
// random source, the daemon's RuntimeConfigurator for `:config`, and a fixed identity. It has a
// local clock, an SHM reference clock, two plain servers, a server signed with MD5 and one with
// AES-CMAC, and a symmetric peer; five keys (MD5 controlkey, SHA1, AES-CMAC, an untrusted MD5 one,
// and a SHA1 one usable only from 192.0.2.0/24); restrict lines with kod/limited, notrust,
// nomodify, noquery, nomrulist, noserve and version; a small MRU list (64 entries, so recycling is
// reachable). A fresh fixture per input is warmed up identically: three polls answered by
// well-behaved servers (so associations have samples and the system is synchronized) and MRU
// entries from 24 clients. Time is a fixed start plus what the targets advance; nothing reads a
// real clock, so every input replays exactly.
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Stratum.Core.Auth;
using Stratum.Core.Config;
using Stratum.Core.Time;
using Stratum.Core.Wire;
using Stratum.Engine;
using Stratum.Engine.Access;
using Stratum.Engine.Associations;
using Stratum.Engine.Control;
using Stratum.Tools.Ntpd;

namespace Stratum.Fuzz.Targets;

/// <summary>A started, warmed-up engine in a known state, and its clock.</summary>
internal sealed class EngineFixture
{
    /// <summary>The daemon's configuration (parsed once).</summary>
    public const string ConfigText = """
        server 127.127.1.0
        fudge 127.127.1.0 stratum 10
        server 127.127.28.0 minpoll 4
        fudge 127.127.28.0 refid GPS
        server 192.0.2.1 iburst minpoll 4 maxpoll 6
        server 192.0.2.2 iburst minpoll 4 key 1
        server 2001:db8::1 iburst minpoll 4 key 3
        peer 198.51.100.7 minpoll 4
        trustedkey 1 2 3 5
        controlkey 1
        restrict default kod limited nopeer
        restrict -6 default kod limited nopeer
        restrict 127.0.0.1
        restrict ::1
        restrict 192.0.2.0 mask 255.255.255.0 nomodify notrust
        restrict 198.51.100.0 mask 255.255.255.0 noquery
        restrict 203.0.113.0 mask 255.255.255.0 nomrulist noserve version
        discard average 3 minimum 1
        mru maxdepth 64 mindepth 16 maxage 64

        """;

    /// <summary>The keys file: MD5, SHA1, AES-CMAC, an untrusted key, and a key limited to 192.0.2.0/24.</summary>
    public const string KeysText = """
        1 MD5 fuzz-md5-key
        2 SHA1 0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c
        3 AES128CMAC 000102030405060708090a0b0c0d0e0f
        4 MD5 untrusted-key
        5 SHA1 a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4 192.0.2.0/24

        """;

    /// <summary>Key ids of <see cref="KeysText"/>.</summary>
    public const ushort Md5KeyId = 1;
    public const ushort Sha1KeyId = 2;
    public const ushort AesCmacKeyId = 3;
    public const ushort UntrustedKeyId = 4;
    public const ushort LanOnlyKeyId = 5;

    /// <summary>An id no key has.</summary>
    public const ushort UnknownKeyId = 77;

    /// <summary>Our clock precision (2^-24 s).</summary>
    public const sbyte Precision = -24;

    /// <summary>2026-11-17 20:53:20 UTC: the real clock at the start.</summary>
    private const long StartUnixNanoseconds = 1_795_000_000L * LoopTime.NanosecondsPerSecond;

    private const long StartMono = 5 * LoopTime.NanosecondsPerSecond;
    private const int WarmUpPolls = 3;
    private const int WarmUpClients = 24;

    private static readonly Lazy<(EngineConfiguration Configuration, KeyTable Keys)> s_configuration = new(Translate);

    private long _mono = StartMono;

    private EngineFixture()
    {
        Engine = new NtpEngine(s_configuration.Value.Configuration, Precision, new FixedRandomSource(0x5EED_F022));
        Engine.Control.Identity = new ControlIdentity("ntpd Stratum fuzz", "x86_64", "Linux/6.1.0");
        Engine.Control.Host.Mode7Enabled = true;
        Engine.Control.Host.Interfaces.Add(new ControlInterface("lo", new IPEndPoint(IPAddress.Loopback, 123)) { StartMono = StartMono });
        Engine.Control.Host.Interfaces.Add(new ControlInterface("eth0", new IPEndPoint(IPAddress.Parse("2001:db8::250"), 123)) { Received = 7 });
        Engine.Control.Configurator = new RuntimeConfigurator(Engine, NullLogger.Instance);
    }

    /// <summary>Clients the targets send as, with the restrict lines of <see cref="ConfigText"/> that match them.</summary>
    public static ClientAddress[] Clients { get; } =
    [
        Address("127.0.0.1", 40123),      // restrict 127.0.0.1: unrestricted
        Address("::1", 40124),            // restrict ::1: unrestricted
        Address("192.0.2.10", 40125),     // nomodify notrust; key 5 allowed
        Address("203.0.113.9", 40126),    // nomrulist noserve version
        Address("198.18.0.1", 40127),     // default: kod limited nopeer
        Address("2001:db8::5", 123),      // -6 default: kod limited nopeer, from port 123
        Address("198.51.100.9", 40128),   // noquery
        Address("198.18.0.2", 0),         // source port 0: dropped
    ];

    /// <summary>The keys file's table (trusted or not).</summary>
    public static KeyTable Keys => s_configuration.Value.Keys;

    /// <summary>The controlkey of <see cref="ConfigText"/>.</summary>
    public static uint ControlKey => s_configuration.Value.Configuration.ControlKey ?? 0;

    public NtpEngine Engine { get; }

    /// <summary>Reused by every call into the engine; cleared first.</summary>
    public EngineActions Actions { get; } = new();

    public LoopTime Now => new(_mono, NtpTimestamp.FromUnixNanoseconds(StartUnixNanoseconds + (_mono - StartMono)));

    /// <summary>The key with <paramref name="keyId"/> in the keys file.</summary>
    public static SymmetricKey Key(ushort keyId) =>
        Keys.TryGetKey(keyId, out SymmetricKey? key) ? key : throw new InvalidOperationException($"no key {keyId} in the fixture");

    public static ClientAddress Address(string address, int port) => ClientAddress.From(IPAddress.Parse(address), port);

    /// <summary>A fresh engine, started and warmed up (see the file header).</summary>
    public static EngineFixture Create()
    {
        var fixture = new EngineFixture();
        fixture.Start();
        return fixture;
    }

    /// <summary>Moves both clocks forward.</summary>
    public void Advance(long nanoseconds) => _mono += Math.Max(0, nanoseconds);

    /// <summary>The remote association whose settings name <paramref name="displayName"/>.</summary>
    public RemoteSource Source(string displayName)
    {
        foreach (RemoteSource source in Engine.Sources.Sources)
        {
            if (source.Association.Settings.DisplayName == displayName)
            {
                return source;
            }
        }

        throw new InvalidOperationException($"no association {displayName} in the fixture");
    }

    /// <summary>Runs the timer once: advances to the engine's deadline (at most <paramref name="maxWait"/> ns) and
    /// records T1 of every request it sends, as the host does. The requests stay in <see cref="Actions"/>.</summary>
    public void RunTimer(long maxWait)
    {
        long deadline = Actions.NextDeadline;
        Advance(Math.Min(deadline - _mono, maxWait));
        Actions.Clear();
        Engine.OnTimer(Now, Actions);
        foreach (OutgoingPacket packet in Actions.Packets)
        {
            Engine.MarkSent(packet.AssociationId, Now.Real);
        }
    }

    /// <summary>Hands <paramref name="datagram"/> from <paramref name="client"/> to the engine's server socket, as the
    /// host does; a time reply goes into <paramref name="reply"/>, mode 6 and 7 answers into <see cref="Actions"/>.</summary>
    public DatagramResult SendToServer(in ClientAddress client, ReadOnlySpan<byte> datagram, Span<byte> reply)
    {
        Actions.Clear();
        return Engine.OnDatagram(DatagramContext.ForServer(client, Now.Real, Now.Mono, datagram), reply, Actions);
    }

    /// <summary>Copies of the mode 6 or 7 answers in <see cref="Actions"/>.</summary>
    public List<byte[]> Answers()
    {
        var answers = new List<byte[]>(Actions.Answers.Count);
        foreach (OutgoingPacket answer in Actions.Answers)
        {
            answers.Add(Actions.PacketBytes(answer).ToArray());
        }

        return answers;
    }

    /// <summary>A synchronized server's answer to <paramref name="request"/>: mode 4 (or 2 to a peer),
    /// <paramref name="serverOffset"/> seconds ahead, 1 ms each way, signed when a key is given.</summary>
    public byte[] ServerReply(ReadOnlySpan<byte> request, double serverOffset, SymmetricKey? key)
    {
        NtpHeader asked = NtpHeader.Read(request);
        NtpTimestamp t2 = Now.Real + NtpDuration.FromSeconds(0.001 + serverOffset);
        var header = new NtpHeader(LeapIndicator.NoWarning, 4, asked.Mode == NtpMode.Client ? NtpMode.Server : NtpMode.SymmetricPassive,
            2, asked.Poll, -20, NtpShort.FromSeconds(0.010), NtpShort.FromSeconds(0.020), ReferenceId.FromAddress(IPAddress.Parse("192.0.2.254")),
            Now.Real - NtpDuration.FromSeconds(30), asked.TransmitTime, t2, t2 + NtpDuration.FromSeconds(0.0001));
        var reply = new byte[NtpHeader.Size + NtpPacket.MaxMacLength];
        int length = header.Write(reply);
        return key is null ? reply[..length] : reply[..PacketMac.Append(key, reply, length)];
    }

    private void Start()
    {
        Engine.Start(Now, Actions);
        Engine.OnListening([new IPEndPoint(IPAddress.Loopback, 123), new IPEndPoint(IPAddress.IPv6Any, 123)],
            [IPAddress.Loopback, IPAddress.Parse("2001:db8::250")], Actions);
        for (int poll = 0; poll < WarmUpPolls; poll++)
        {
            RunTimer(maxWait: 64 * LoopTime.NanosecondsPerSecond);
            AnswerRequests(serverOffset: 0.0002 * (poll + 1));
            RemoteSource refclock = Source("SHM(0)");
            Engine.OnRefclockPoll(refclock.Id, 0.00001 * poll, 0.000002, LeapIndicator.NoWarning, -20, Now, Actions, 0);
        }

        AccessControl access = Engine.Server.Access ?? throw new InvalidOperationException("the fixture has access control");
        for (int i = 0; i < WarmUpClients; i++)
        {
            ClientAddress client = (i % 3) switch
            {
                0 => ClientAddress.FromIPv4(0xC6120000u + (uint)i, (ushort)(40000 + i)),              // 198.18.0.i
                1 => ClientAddress.From(IPAddress.Parse($"2001:db8::{i:x}"), 123),
                _ => ClientAddress.FromIPv4(0xCB007100u + (uint)i, (ushort)(50000 + i)),              // 203.0.113.i
            };
            byte versionMode = (i % 4) switch { 0 => 0x23, 1 => 0x1B, 2 => 0x0B, _ => 0x16 };
            access.AdmitTimeRequest(client, access.Match(client).Flags, versionMode, Now.Mono, Now.Real);
            Advance(LoopTime.NanosecondsPerSecond / 8);
        }

        Actions.Clear();
    }

    /// <summary>Answers each request the last timer sent, from its server's address, 3 ms later.</summary>
    private void AnswerRequests(double serverOffset)
    {
        var requests = new List<(int Id, byte[] Bytes)>();
        foreach (OutgoingPacket packet in Actions.Packets)
        {
            requests.Add((packet.AssociationId, Actions.PacketBytes(packet).ToArray()));
        }

        Advance(3_000_000);
        foreach ((int id, byte[] request) in requests)
        {
            RemoteAssociation association = FindSource(id).Association;
            byte[] reply = ServerReply(request, serverOffset, association.Key);
            ClientAddress server = ClientAddress.From(association.Settings.Address.Address, association.Settings.Address.Port);
            Actions.Clear();
            Engine.OnDatagram(DatagramContext.ForAssociation(id, server, Now.Real, Now, reply), [], Actions);
        }
    }

    private RemoteSource FindSource(int id)
    {
        foreach (RemoteSource source in Engine.Sources.Sources)
        {
            if (source.Id == id)
            {
                return source;
            }
        }

        throw new InvalidOperationException($"no association {id}");
    }

    private static (EngineConfiguration, KeyTable) Translate()
    {
        ConfigParseResult config = ConfigParser.Parse(ConfigText, "fuzz.conf");
        KeyFileParseResult keys = KeyFileParser.Parse(KeysText, "fuzz.keys");
        if (config.HasErrors || keys.HasErrors)
        {
            throw new InvalidOperationException("the fixture's ntp.conf or keys file does not parse: "
                + string.Join("; ", config.Diagnostics) + string.Join("; ", keys.Diagnostics));
        }

        EngineConfiguration configuration = NtpdDaemon.Translate(config.Config) with
        {
            Keys = new KeyRing(keys.Keys, config.Config.TrustedKeys),
            DisciplineEnabled = true,
        };
        return (configuration, keys.Keys);
    }
}
